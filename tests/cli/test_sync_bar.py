"""`lillenews sync`'s estimate line and its progress bar at the site's pace (cli/sync.py)."""

from __future__ import annotations

import pytest

from lillenews.app.sync import Estimate
from lillenews.cli.sync import duration, estimate_line, paced_columns


@pytest.mark.parametrize(
    ("seconds", "words"), [(0, "0 s"), (0.2, "1 s"), (40, "40 s"), (59.5, "60 s"), (650, "11 min"), (7500, "2 h 05")]
)
def test_durations_read_at_a_glance(seconds, words):
    assert duration(seconds) == words


def test_the_estimate_names_the_pace_the_requests_and_the_time():
    # the README's first sync of lille.fr: 5 listing pages, 35 articles, 5 agenda pages, ~20 events
    first = Estimate(5 + 35 + 5 + 20, 10.0)
    assert first.seconds == 640.0
    assert estimate_line(first) == "robots.txt asks for 10 s between requests: about 65 requests, ≈ 11 min."
    assert estimate_line(Estimate(1, 0.2)) == "robots.txt asks for 0.2 s between requests: about 1 request, ≈ 0 s."


def test_the_paced_bar_shows_the_time_left_at_the_sites_pace():
    from rich.progress import Progress

    columns = paced_columns("Syncing, one request every 10 s", 10.0)
    progress = Progress(*columns)
    task = progress.add_task("sync", total=None)
    assert columns[-1].render(progress.tasks[0]).plain == "≈ …"  # the total is not known yet
    progress.update(task, total=66, completed=6)
    assert columns[-1].render(progress.tasks[0]).plain == "≈ 10 min"
