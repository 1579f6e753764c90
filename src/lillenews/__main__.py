"""`python -m lillenews` and the `lillenews` console script."""

import sys


def main() -> None:
    from lillenews.cli.app import main as run

    sys.exit(run())


if __name__ == "__main__":
    main()
