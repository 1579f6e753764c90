"""Settings, resolved in this order: CLI option, environment variable
(LILLENEWS_*), config.toml in the config dir, default."""

import contextlib
import os
import re
import stat
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Literal, NamedTuple
from urllib.parse import urlsplit

from lillenews.base.errors import ConfigError
from lillenews.base.i18n import _, parse_language
from lillenews.base.i18n import number as written  # `number` is a local name below
from lillenews.base.text import lazy_pattern

APP_NAME = "lillenews"
DEFAULT_BASE_URL = "https://www.lille.fr"


class Settings(NamedTuple):
    base_url: str
    cache_dir: Path
    data_dir: Path
    config_dir: Path
    timeout: float  # seconds, per request (connect, read, write, pool)
    listing_max_age: float  # minutes a cached listing page counts as fresh
    workers: int  # concurrent requests for sync (1..8)
    max_retry_wait: float  # seconds: cap on a server's Retry-After
    hyperlinks: str = "auto"  # OSC 8 links: auto (known terminals) | always | never
    measure: int = 88  # columns: the widest line of an article's text at a terminal
    language: str | None = None  # 'fr' or 'en'; None: from the locale (LANGUAGE, LC_ALL, LC_MESSAGES, LANG)
    quartier: tuple[str, ...] = ()  # the default --quartier of list, search, events, feed, browse, new (as typed)

    @property
    def listing_url(self) -> str:
        return self.base_url + "/Actualites"

    @property
    def config_file(self) -> Path:
        """Where config.toml is looked for (it may not exist)."""
        return self.config_dir / "config.toml"

    @property
    def site_host(self) -> str:
        return urlsplit(self.base_url).netloc.lower()


def _base_url(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(_("expected an http:// or https:// URL such as https://www.lille.fr"))
    text = value.strip().rstrip("/")
    parts = urlsplit(text)
    if "@" in parts.netloc:  # it would be in every URL we print, save and put in a feed
        raise ValueError(_("a user name or password in the address is not accepted (the site needs none)"))
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(_("expected an http:// or https:// URL such as https://www.lille.fr"))
    if parts.query or parts.fragment:
        raise ValueError(_("expected a URL without query or fragment"))
    if not _valid_host(parts.hostname):
        raise ValueError(_("the host name is not valid"))
    parts.port  # noqa: B018 - raises ValueError for a port out of range
    return text


_label = lazy_pattern(r"[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?", re.IGNORECASE)


def _valid_host(host: str) -> bool:
    """An IP address or a DNS name whose every label is well-formed (IDNA included):
    what the HTTP client will accept, checked here so that a bad setting is a usage error."""
    import ipaddress

    with contextlib.suppress(ValueError):
        ipaddress.ip_address(host)
        return True
    try:
        name = host.encode("idna").decode("ascii").rstrip(".")
    except UnicodeError:  # an empty or too long label
        return False
    if not name or len(name) > 253:
        return False
    for label in name.split("."):
        if not _label().fullmatch(label):
            return False
        if label.lower().startswith("xn--"):
            try:
                if not label[4:].encode("ascii").decode("punycode"):
                    return False
            except UnicodeError:
                return False
    return True


def _number(lo: float, hi: float, integer: bool = False) -> Callable[[Any], float]:
    def convert(value: Any) -> float:
        if isinstance(value, bool):
            raise ValueError(_("expected a number"))
        try:
            if integer and isinstance(value, float) and not value.is_integer():
                raise ValueError  # 2.9 workers is a mistake, not 2
            number = int(value) if integer else float(value)
        except (TypeError, ValueError, OverflowError):
            kind = (
                _("expected a whole number from {lo} to {hi}") if integer else _("expected a number from {lo} to {hi}")
            )
            raise ValueError(kind.format(lo=written(lo), hi=written(hi))) from None
        if not (lo <= number <= hi) or number != number:
            raise ValueError(_("expected a number from {lo} to {hi}").format(lo=written(lo), hi=written(hi)))
        return number

    return convert


def _choice(*choices: str) -> Callable[[Any], str]:
    def convert(value: Any) -> str:
        text = str(value).strip().lower()
        if text not in choices:
            raise ValueError(_("expected one of {choices}").format(choices=", ".join(choices)))
        return text

    return convert


def _path(value: Any) -> Path:
    if not isinstance(value, str):  # `cache_dir = true` in config.toml must not become ./True
        raise ValueError(_("expected a directory path (a string)"))
    text = value.strip()
    if not text:
        raise ValueError(_("expected a directory path"))
    if "\x00" in text:
        raise ValueError(_("a path cannot contain a NUL character"))
    expanded = os.path.expanduser(text)
    if expanded.startswith("~"):  # ~nosuchuser/x: left as is, it would make ./~nosuchuser
        raise ValueError(_("no such user: {user}").format(user=text.split("/", 1)[0]))
    return Path(expanded)


def _names(value: Any) -> tuple[str, ...]:
    """Quartier names as typed: a string (several separated by commas) or a TOML list of
    strings. Whether they name quartiers is checked where they are used (site/quartiers.py)."""
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(x, str) for x in items):
        raise ValueError(_("expected a quartier name, or several separated by commas"))
    return tuple(x.strip() for x in items if x.strip())


# name -> (environment variable, converter, default factory)
_SETTINGS: dict[str, tuple[str, Callable[[Any], Any], Callable[[], Any]]] = {
    "base_url": ("LILLENEWS_BASE_URL", _base_url, lambda: DEFAULT_BASE_URL),
    "cache_dir": ("LILLENEWS_CACHE_DIR", _path, lambda: _platform_dir("cache")),
    "data_dir": ("LILLENEWS_DATA_DIR", _path, lambda: _platform_dir("data")),
    "timeout": ("LILLENEWS_TIMEOUT", _number(0.1, 300), lambda: 10.0),
    "listing_max_age": ("LILLENEWS_LISTING_MAX_AGE", _number(0, 10080), lambda: 15.0),
    "workers": ("LILLENEWS_WORKERS", _number(1, 8, integer=True), lambda: 4),
    "max_retry_wait": ("LILLENEWS_MAX_RETRY_WAIT", _number(0, 120), lambda: 10.0),
    "hyperlinks": ("LILLENEWS_HYPERLINKS", _choice("auto", "always", "never"), lambda: "auto"),
    "measure": ("LILLENEWS_MEASURE", _number(20, 1000, integer=True), lambda: 88),
    "language": ("LILLENEWS_LANGUAGE", lambda value: parse_language(str(value)), lambda: None),
    "quartier": ("LILLENEWS_QUARTIER", _names, lambda: ()),
}
CONFIG_KEYS = tuple(_SETTINGS)


def _platform_dir(kind: Literal["cache", "data", "config"]) -> Path:
    import platformdirs

    if kind == "cache":
        return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))
    if kind == "data":
        return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def load_settings(cli: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None) -> Settings:
    """Resolve every setting; raise ConfigError (exit 2) naming the bad one."""
    cli = {k: v for k, v in (cli or {}).items() if v is not None}
    environ = os.environ if environ is None else environ

    config_dir = _config_dir(cli, environ)
    config_file = config_dir / "config.toml"
    file_values = _read_config(config_file)

    values: dict[str, Any] = {}
    for name, (env_name, convert, default) in _SETTINGS.items():
        option = "--" + name.replace("_", "-")
        if name in cli:
            raw, where = cli[name], option
        elif environ.get(env_name, "").strip():
            raw, where = environ[env_name], env_name
        elif name in file_values:
            raw, where = file_values[name], _("{name} in {path}").format(name=name, path=config_file)
        else:
            values[name] = default()
            continue
        try:
            values[name] = convert(raw)
        except ValueError as exc:
            shown = _without_userinfo(str(raw)) if name == "base_url" else str(raw)
            raise ConfigError(
                _("invalid {where} {value!r}: {error}").format(where=where, value=shown, error=exc)
            ) from None
    return Settings(config_dir=config_dir, **values)


def _without_userinfo(url: str) -> str:
    """`url` with the user name and password of its authority shown as `***`: an error line
    must not print a password."""
    scheme, sep, rest = url.partition("://")
    authority_end = min((i for i in (rest.find(c) for c in "/?#") if i >= 0), default=len(rest))
    at = rest.rfind("@", 0, authority_end)
    if not sep or at < 0:
        return url
    return f"{scheme}://***{rest[at:]}"


def _config_dir(cli: Mapping[str, Any], environ: Mapping[str, str]) -> Path:
    if "config_dir" in cli:
        raw, where = cli["config_dir"], "--config-dir"
    elif environ.get("LILLENEWS_CONFIG_DIR", "").strip():
        raw, where = environ["LILLENEWS_CONFIG_DIR"], "LILLENEWS_CONFIG_DIR"
    else:
        return _platform_dir("config")
    try:
        return _path(raw)
    except ValueError as exc:
        invalid = _("invalid {where} {value!r}: {error}")
        raise ConfigError(invalid.format(where=where, value=str(raw), error=exc)) from None


def early_language(config_dir: str | None, environ: Mapping[str, str]) -> str | None:
    """The `language` setting from LILLENEWS_LANGUAGE or config.toml, read before the
    command line is parsed (so that --help follows it); None when unset or unusable
    (load_settings reports a bad value later)."""
    try:
        cli = {} if config_dir is None else {"config_dir": config_dir}
        raw = environ.get("LILLENEWS_LANGUAGE", "").strip() or _read_config(
            _config_dir(cli, environ) / "config.toml"
        ).get("language")
        return parse_language(str(raw)) if raw else None
    except (ConfigError, ValueError):
        return None


def _read_config(path: Path) -> dict[str, Any]:
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):  # a FIFO would block the read forever
            raise ConfigError(
                _("{path} is not a regular file; remove it or choose another config dir").format(path=path)
            )
        data = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise ConfigError(_("cannot read {path}: {reason}").format(path=path, reason=exc.strerror)) from None
    import tomllib  # only when there is a file: it costs a few ms at start-up

    try:
        parsed = tomllib.loads(data.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(_("malformed {path}: {error}; fix or remove the file").format(path=path, error=exc)) from None
    except ValueError:  # tomllib's int() of an integer of thousands of digits
        too_long = _("malformed {path}: a number has too many digits; fix or remove the file")
        raise ConfigError(too_long.format(path=path)) from None
    except RecursionError:
        too_deep = _("malformed {path}: values nested too deeply; fix or remove the file")
        raise ConfigError(too_deep.format(path=path)) from None
    unknown = sorted(set(parsed) - set(CONFIG_KEYS))
    if unknown:
        import difflib

        near = difflib.get_close_matches(unknown[0], CONFIG_KEYS, n=1)
        hint = _("did you mean {key}?").format(key=near[0]) + " " if near else ""
        raise ConfigError(
            _("unknown setting {name!r} in {path}; {hint}accepted: {keys}").format(
                name=unknown[0], path=path, hint=hint, keys=", ".join(CONFIG_KEYS)
            )
        )
    return parsed
