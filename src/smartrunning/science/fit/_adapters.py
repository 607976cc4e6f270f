"""One adapter per FIT library, each turning bytes into the same :class:`RawFit`.

``RawFit`` is library-neutral: record columns keyed by FIT field name (float64, NaN where
absent, timestamps as Unix seconds, positions in degrees), and session, lap, sport and
activity messages as rows of numbers (enums as integer codes, times as Unix seconds).
Naming enums and building our types is left to ``_build``, so every library goes through
the same code after this point and differs only in what it read.

Developer fields never enter a ``RawFit``: only native fields are read by name.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Mapping
from collections.abc import Sequence as Sequence_
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any, Final

import fitdecode
import fitfast
import numpy as np
import pyfitparsernative
from garmin_fit_sdk import Decoder, Stream

from smartrunning.science.fit._header import (
    FIT_EPOCH_S,
    RELATIVE_TIME_LIMIT_S,
    FileId,
    Sequence,
    summary_stream,
)
from smartrunning.science.fit._hr import HR_MESSAGE, expand_heart_rates
from smartrunning.science.fit._profile import code_of, message_number
from smartrunning.science.fit.errors import FitDecodeError
from smartrunning.science.fit.model import DecoderName
from smartrunning.science.records import FloatArray

__all__ = ["ADAPTERS", "RECORD_FIELDS", "RawFit", "Row", "library_error"]

RECORD_FIELDS = (
    "timestamp", "distance", "speed", "enhanced_speed", "heart_rate", "cadence",
    "fractional_cadence", "altitude", "enhanced_altitude", "position_lat", "position_long",
    "power",
)  # fmt: skip
_SESSION_FIELDS = (
    "start_time", "timestamp", "total_elapsed_time", "total_timer_time", "total_distance",
    "avg_heart_rate", "max_heart_rate", "total_ascent", "total_descent", "avg_speed",
    "enhanced_avg_speed", "max_speed", "enhanced_max_speed", "total_calories", "sport",
    "sub_sport", "pool_length_unit",
)  # fmt: skip
_LAP_FIELDS = (
    "start_time", "timestamp", "total_elapsed_time", "total_timer_time", "total_distance",
    "avg_heart_rate", "max_heart_rate",
)  # fmt: skip
_EVENT_FIELDS = ("timestamp", "event", "event_type")
_LENGTH_FIELDS = ("start_time", "timestamp", "total_elapsed_time", "length_type")
_MESSAGES = {
    "length": _LENGTH_FIELDS,
    "session": _SESSION_FIELDS,
    "lap": _LAP_FIELDS,
    "sport": ("sport", "sub_sport"),
    "activity": ("timestamp", "local_timestamp"),
    "event": _EVENT_FIELDS,
}
_SUMMARY_MESSAGES = frozenset(
    message_number(kind)
    for kind in ("file_id", *_MESSAGES, "field_description", "developer_data_id")
)
"""What ``_fitfast`` reads besides the records (developer field descriptions included)."""
_TIME_FIELDS = frozenset({"timestamp", "start_time", "local_timestamp"})
_ENUMS = {
    "sport": "sport", "sub_sport": "sub_sport", "event": "event", "event_type": "event_type",
    "length_type": "length_type", "pool_length_unit": "display_measure",
}  # fmt: skip
_TIMER_EVENT = 0  # FIT ``event`` enum: timer (start/stop events of the activity timer)
_DEG_PER_SEMICIRCLE = 180.0 / 2**31
_ACTIVITY = 4

Row = dict[str, float]


@dataclass(frozen=True, slots=True)
class RawFit:
    """What one library read, before naming and segmenting (see module docstring)."""

    decoder: DecoderName
    file_ids: tuple[FileId, ...]
    record: dict[str, FloatArray]
    sessions: tuple[Row, ...]
    laps: tuple[Row, ...]
    sports: tuple[Row, ...]
    activities: tuple[Row, ...]
    timer_events: tuple[Row, ...] = ()
    """``event`` messages of the timer (``event`` = timer): ``timestamp``, ``event_type``."""
    size: tuple[int, int] | None = None
    """(messages, fields) the library read, when it counted them (see ``count``)."""
    lengths: tuple[Row, ...] = ()
    """Pool-swim ``length`` messages: ``start_time``, ``timestamp``, ``total_elapsed_time``,
    ``length_type`` (0 idle, 1 active)."""
    heart_rates: tuple[FloatArray, FloatArray] | None = None
    """(Unix time, bpm) samples of the file's ``hr`` messages (``_hr``), ``None`` without."""

    @property
    def is_activity(self) -> bool:
        return any(f.type == _ACTIVITY for f in self.file_ids)


def library_error(decoder: str, exc: BaseException | str) -> FitDecodeError:
    """A library's complaint as a :class:`FitDecodeError` with our kind of reason."""
    text = (str(exc) or type(exc).__name__).strip().splitlines()[0][:200]
    low = f"{type(exc).__name__} {text}".lower()  # fitdecode says EOF by type: FitEOFError
    if "checksum" in low or "crc" in low:
        kind = "bad file CRC"
    elif "eof" in low or "end of" in low or "longer than" in low:
        kind = "unexpected end of data"
    else:
        kind = "corrupt data"
    return FitDecodeError(f"{kind}: {_IN_WORDS[kind]}", detail=f"{decoder} says {text!r}")


_IN_WORDS: Final = {
    "bad file CRC": (
        "the file's checksum does not match its contents, so some of its bytes changed "
        "after the watch wrote it; export the activity again from the watch or its app"
    ),
    "unexpected end of data": (
        "the file ends in the middle of its data (the copy was cut short); export the "
        "activity again from the watch or its app"
    ),
    "corrupt data": (
        "the file's contents do not follow the FIT format (it is damaged, or was not "
        "written by a watch or a sports app)"
    ),
}
"""The reason of each kind of library complaint, for a person (the library's own words
are kept in ``FitDecodeError.detail``)."""


@contextmanager
def _guard(decoder: DecoderName) -> Iterator[None]:
    """Turn anything a library raises (Rust panics included) into :class:`FitDecodeError`."""
    try:
        yield
    except FitDecodeError:
        raise
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # a PyO3 panic is a BaseException
        raise library_error(decoder, exc) from exc


# --- fitfast (rustyfit): NumPy columns per message kind ----------------------------------


def _fitfast(data: bytes, framing: tuple[Sequence, ...]) -> RawFit:
    with _guard("fitfast"):
        file_ids = tuple(s.file_id for s in framing if s.file_id is not None)
        if len(file_ids) < len(framing):  # an unusual first message: ask the library
            file_ids = tuple(_file_id(r) for r in _fitfast_rows(data, "file_id", _FILE_ID_KEYS))
        if not any(f.type == _ACTIVITY for f in file_ids):
            fitfast.count(data)  # still check structure and CRC
            return RawFit("fitfast", file_ids, {}, (), (), (), ())
        columns = fitfast.records(data)  # the one pass over the whole file (CRC included)
        record = {k: columns[k] for k in RECORD_FIELDS if k in columns}
        small, defined = _summary(data, framing)
        sessions = _fitfast_rows(small, "session", _SESSION_FIELDS)
        laps = _fitfast_rows(small, "lap", _LAP_FIELDS)
        sports = () if sessions else _fitfast_rows(small, "sport", ("sport", "sub_sport"))
        activities = _fitfast_rows(small, "activity", _MESSAGES["activity"])
        events = _timer_only(_fitfast_rows(small, "event", _EVENT_FIELDS))
        lengths: tuple[Row, ...] = ()
        if _defines(data, defined, _LENGTH_MESSAGE, _LENGTH_DEFINITIONS):  # pool swims only
            lengths = _fitfast_rows(small, "length", _LENGTH_FIELDS)
        heart_rates = None
        if _defines(data, defined, HR_MESSAGE, _HR_DEFINITIONS):
            heart_rates = _fitfast_heart_rates(data, framing)
    return RawFit(
        "fitfast", file_ids, record, sessions, laps, sports, activities, events,
        lengths=lengths, heart_rates=heart_rates,
    )  # fmt: skip


_LENGTH_MESSAGE = 101
_LENGTH_DEFINITIONS = (b"\x00\x00\x65\x00", b"\x00\x01\x00\x65")
_HR_DEFINITIONS = (b"\x00\x00\x84\x00", b"\x00\x01\x00\x84")
"""Definitions of the ``length`` and ``hr`` messages as bytes (reserved byte, architecture,
global number): a conservative search where the summary walk did not list the kinds."""


def _defines(
    data: bytes, defined: frozenset[int] | None, number: int, patterns: tuple[bytes, ...]
) -> bool:
    """Whether the file may define message ``number`` (the walk's list, else the bytes)."""
    if defined is not None:
        return number in defined
    return any(p in data for p in patterns)


def _fitfast_heart_rates(
    data: bytes, framing: tuple[Sequence, ...]
) -> tuple[FloatArray, FloatArray] | None:
    small = summary_stream(data, framing, frozenset({0, HR_MESSAGE}))
    rows = fitfast.parse(small if small is not None else data).get("hr", [])
    return _heart_rates(rows, lambda v: np.array(v, dtype=np.float64))


def _heart_rates(
    rows: Sequence_[Mapping[Any, Any]], to_unix: Callable[[list[Any]], FloatArray]
) -> tuple[FloatArray, FloatArray] | None:
    """Expanded ``hr`` samples; ``None`` without any, or with device-relative times."""
    if not rows:
        return None
    stamps = to_unix([r.get("timestamp") for r in rows]).tolist()
    if any(math.isfinite(t) and t < RELATIVE_TIME_LIMIT_S for t in stamps):
        return None
    keys = ("fractional_timestamp", "event_timestamp", "event_timestamp_12", "filtered_bpm")
    expanded = expand_heart_rates(
        {"timestamp": t if math.isfinite(t) else None, **{k: r.get(k) for k in keys}}
        for r, t in zip(rows, stamps, strict=True)
    )
    return expanded if len(expanded[0]) else None


def _summary(data: bytes, framing: tuple[Sequence, ...]) -> tuple[bytes, frozenset[int] | None]:
    """What to ask fitfast for the messages besides records: it reads the whole file for
    each message kind asked for, so the file without its records when that reads the same
    (~0.8 ms to make, where each kind would cost ~1.3 ms on a typical run), else the file;
    and the global numbers of the messages the file defines (``None`` when not walked)."""
    defined: set[int] = set()
    small = summary_stream(data, framing, _SUMMARY_MESSAGES, defined)
    if small is None:
        return data, None
    try:
        fitfast.count(small)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException:  # any complaint (a PyO3 panic too): read the whole file instead
        return data, None
    return small, frozenset(defined)


def _fitfast_rows(data: bytes, message: str, keys: Iterable[str]) -> tuple[Row, ...]:
    columns = fitfast.records(data, message, degrees=True)
    present = [k for k in keys if k in columns]
    # Python floats column by column, then rows: no NumPy scalar per value (a file of
    # 100,000 tiny event messages costs 0.2 s here instead of 2 s).
    values = [np.asarray(columns[k], dtype=np.float64).tolist() for k in present]
    return tuple(
        {k: v for k, v in zip(present, row, strict=True) if math.isfinite(v)}
        for row in zip(*values, strict=True)
    )


# --- pyfitparsernative (Rust): a list of dicts, naive ISO times, enum names -----------------


def _pyfitparsernative(data: bytes, framing: tuple[Sequence, ...]) -> RawFit:
    with _guard("pyfitparsernative"):
        by_kind: dict[str, list[Mapping[str, Any]]] = {}
        messages = pyfitparsernative.parse_fit_bytes(data)
        for message in messages:
            by_kind.setdefault(message.get("message_type", ""), []).append(message)
        raw = _from_dicts("pyfitparsernative", by_kind, _iso_to_unix, semicircles=True)
        fields = sum(map(len, messages)) - len(messages)  # every dict has a message_type
        return replace(raw, size=(len(messages), fields))


def count(data: bytes) -> tuple[int, int] | None:
    """(messages, fields) in ``data``: one fitfast pass; ``None`` if fitfast cannot read it."""
    try:
        with _guard("fitfast"):
            messages, fields = fitfast.count(data)
    except FitDecodeError:
        return None
    return int(messages), int(fields)


def _iso_to_unix(values: list[Any]) -> FloatArray:
    stamps = np.array([v if isinstance(v, str) else "NaT" for v in values], "datetime64[s]")
    out = stamps.astype(np.int64).astype(np.float64)
    out[np.isnat(stamps)] = np.nan
    return out


# --- fitdecode (pure Python): frames with value and raw value --------------------------------


def _fitdecode(data: bytes, framing: tuple[Sequence, ...]) -> RawFit:
    wanted = {"file_id", "record", "hr", *_MESSAGES}
    enums = {
        "type", "manufacturer", "product", "garmin_product", "sport", "sub_sport", "event",
        "event_type",
    }  # fmt: skip
    with _guard("fitdecode"):
        by_kind: dict[str, list[Mapping[str, Any]]] = {}
        reader = fitdecode.FitReader(
            data,
            check_crc=fitdecode.CrcCheck.RAISE,
            error_handling=fitdecode.ErrorHandling.RAISE,
        )
        with reader:
            for frame in reader:
                if frame.frame_type != fitdecode.FIT_FRAME_DATA or frame.name not in wanted:
                    continue
                values: dict[str, Any] = {}
                for fd in frame.fields:
                    if isinstance(fd.field_def, fitdecode.types.DevFieldDefinition):
                        continue  # developer fields must not shadow native ones
                    if frame.name == "hr" and fd.field_def is None:
                        continue  # its expansion of event_timestamp_12 is not the SDK's
                    if fd.name not in values:
                        raw = fd.name in enums or fd.name.startswith("position_")
                        values[fd.name] = fd.raw_value if raw else fd.value
                by_kind.setdefault(frame.name, []).append(values)
        return _from_dicts("fitdecode", by_kind, _datetimes_to_unix, semicircles=True)


def _datetimes_to_unix(values: list[Any]) -> FloatArray:
    """fitdecode gives tz-aware datetimes, or FIT seconds for device-relative times."""
    out = np.full(len(values), np.nan)
    for i, v in enumerate(values):
        if hasattr(v, "timestamp"):
            out[i] = v.timestamp()
        elif isinstance(v, int | float):
            out[i] = v + FIT_EPOCH_S
    return out


# --- garmin-fit-sdk (the reference): dicts, raw FIT times, enum codes ------------------------


def _garmin_fit_sdk(data: bytes, framing: tuple[Sequence, ...]) -> RawFit:
    with _guard("garmin-fit-sdk"):
        decoder = Decoder(Stream.from_byte_array(bytearray(data)))
        messages, errors = decoder.read(
            convert_types_to_strings=False,
            convert_datetimes_to_dates=False,
            merge_heart_rates=True,  # the reference for our own merge (``_hr``)
        )
        if errors:
            raise library_error("garmin-fit-sdk", errors[0])
        by_kind: dict[str, list[Mapping[str, Any]]] = {
            k.removesuffix("_mesgs"): v
            for k, v in messages.items()
            if isinstance(v, list) and k != "hr_mesgs"  # merged by the SDK already
        }
        return _from_dicts("garmin-fit-sdk", by_kind, _fit_seconds_to_unix, semicircles=True)


def _fit_seconds_to_unix(values: list[Any]) -> FloatArray:
    return np.array([v + FIT_EPOCH_S if isinstance(v, int | float) else np.nan for v in values])


# --- shared by the dict-producing adapters ----------------------------------------------------

_FILE_ID_KEYS = ("type", "manufacturer", "product", "serial_number")


def _from_dicts(
    decoder: DecoderName,
    by_kind: Mapping[str, list[Mapping[str, Any]]],
    to_unix: Callable[[list[Any]], FloatArray],
    *,
    semicircles: bool,
) -> RawFit:
    records = by_kind.get("record", [])
    record: dict[str, FloatArray] = {}
    for key in RECORD_FIELDS:
        if not any(key in r for r in records):  # one cheap scan for a field no record has
            continue
        values = [r.get(key) for r in records]
        if all(v is None for v in values):
            continue
        if key == "timestamp":
            record[key] = to_unix(values)
            continue
        column = np.array([_number(v) for v in values], dtype=np.float64)
        if semicircles and key.startswith("position_"):
            column *= _DEG_PER_SEMICIRCLE
        record[key] = column

    def rows(kind: str) -> tuple[Row, ...]:
        # Column by column (one time conversion per field, not per message), then rows.
        messages = by_kind.get(kind, [])
        if not messages:
            return ()
        columns: list[list[float]] = []
        for key in _MESSAGES[kind]:
            values = [message.get(key) for message in messages]
            if key in _TIME_FIELDS:
                columns.append(to_unix(values).tolist())
            elif key in _ENUMS:
                codes = (code_of(_ENUMS[key], value) for value in values)
                columns.append([np.nan if code is None else float(code) for code in codes])
            else:
                columns.append([_number(value) for value in values])
        keys = _MESSAGES[kind]
        return tuple(
            {k: v for k, v in zip(keys, row, strict=True) if math.isfinite(v)}
            for row in zip(*columns, strict=True)
        )

    file_ids = tuple(_file_id(m) for m in by_kind.get("file_id", []))
    return RawFit(
        decoder,
        file_ids,
        record,
        rows("session"),
        rows("lap"),
        rows("sport"),
        rows("activity"),
        _timer_only(rows("event")),
        lengths=rows("length"),
        heart_rates=_heart_rates(by_kind.get("hr", []), to_unix),
    )


def _number(value: Any) -> float:
    """A scalar field value as float; NaN for absent, invalid, non-numeric or array values."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return np.nan
    return float(value)


def _file_id(message: Mapping[str, Any]) -> FileId:
    def code(enum: str, key: str) -> int | None:
        return code_of(enum, message.get(key))

    product = message.get("product")
    if product is None:  # fitdecode names the field after its Garmin sub-field
        product = message.get("garmin_product")
    if isinstance(product, str):  # a library that names Garmin products
        product = code_of("garmin_product", product)
    serial = message.get("serial_number")
    return FileId(
        type=code("file", "type"),
        manufacturer=code("manufacturer", "manufacturer"),
        product=int(product) if isinstance(product, int | float) and product == product else None,
        serial_number=int(serial) if isinstance(serial, int | float) and serial else None,
    )


def _timer_only(events: Iterable[Row]) -> tuple[Row, ...]:
    """The timer's start/stop events, the only ``event`` messages decoding uses."""
    return tuple(
        e
        for e in events
        if e.get("event") == _TIMER_EVENT and "timestamp" in e and "event_type" in e
    )


ADAPTERS: dict[DecoderName, Callable[[bytes, tuple[Sequence, ...]], RawFit]] = {
    "fitfast": _fitfast,
    "pyfitparsernative": _pyfitparsernative,
    "fitdecode": _fitdecode,
    "garmin-fit-sdk": _garmin_fit_sdk,
}
"""Every decoder the module can run, by name; each raises only :class:`FitDecodeError`."""
