"""Fuzz the loader and the whole catalogue with mutations of the real sources.

``python -m generator.dev.fuzz --seconds 600 [--seed N] [--timeout S] [--out DIR]``

Each case takes one real source (an exercise, the shared texts, a pose, the body,
the scene or the print settings), mutates it (flipped, deleted or repeated bytes
and lines, YAML tokens such as anchors, aliases and tags, tabs, invisible and
bidirectional characters, deep nesting, a huge file, another value, a draft
made published), sometimes adds a file beside it (a copy under another name, an
editor's lock), writes the result into a temporary copy of the project, and runs
the loader on the file and ``load_catalogue`` on the copy, in a worker process.

A case is a finding when it

- **crashes**: anything but problems comes out (an exception, or the worker dies);
- **hangs**: it takes longer than ``--timeout`` seconds (the worker is killed);
- **is wrongly accepted**: the catalogue is accepted although it breaks an
  invariant the outputs rely on (:func:`violations`): a published exercise
  without the doctor notice, the contraindications, the stop rule or a signal
  word, a blank or invisible text, a review date the outputs cannot carry,
  nothing published.

Each finding is saved, with its files at their project paths and a note of what
was done, in a folder of ``--out`` (default ``fuzz-findings``), and the command
exits with 1. The temporary copy is removed at the end, also on Ctrl-C.
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import shutil
import sys
import tempfile
import time
import traceback
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from generator.errors import Problem
from generator.model import EARLIEST_REVIEW, LATEST_REVIEW, MessageFields, Role, Section
from generator.sources.catalogue import Catalogue
from generator.sources.load import MAX_BYTES, MAX_DEPTH, describe_character

COPIED = ("content", "diagrams", "print.yaml")
"""What ``load_catalogue`` reads, copied into the temporary project."""
DEFAULT_OUT = "fuzz-findings"
DEFAULT_TIMEOUT = 10.0
"""Seconds a case may take before it counts as a hang (a real one takes well under 1 s)."""

TOKENS = [
    "&a ",
    "*a",
    "&a [1] ",
    "*a\n",
    "!!python/object/apply:os.system ['true'] ",
    "!!python/name:os.system ",
    "!!binary aGVsbG8= ",
    "!!str ",
    "!local ",
    "<<: *a\n",
    "? ",
    "- ",
    ": ",
    "{",
    "}",
    "[",
    "]",
    ", ",
    "'",
    '"',
    "|\n",
    ">-\n",
    "#",
    "\n---\n",
    "\n...\n",
    "%YAML 1.1\n",
    "%TAG ! tag:example.com,2000:\n",
    "\t",
    "\r",
    "\x00",
    "\x07",
    "\x1b[31m",
    "\u202e",
    "\u2066",
    "\u200b",
    "\u200d",
    "\ufeff",
    "\u3000",
    "\u00a0",
    "\ud7ff",
    "\U0001f600",
    '"\\u202e"',
    '"\\t"',
    '"\\x00"',
    '"\\U0010ffff"',
    '"\\ud800"',
    "ｔｉｔｌｅ",
    "ti\u200btle",
    "backrack",
    "back rack",
]
"""Text inserted at random places: YAML syntax, tags, and characters the loader refuses."""

VALUES = [
    "",
    "~",
    "null",
    "no",
    "yes",
    "0755",
    "0x1F",
    "1e9",
    "-1",
    "0",
    ".inf",
    ".nan",
    "2106-02-07",
    "2106-02-08",
    "1979-12-31",
    "0001-01-01",
    "9999-12-31",
    "2024-02-30",
    "published",
    "draft",
    "getting-on",
    "[]",
    "{}",
    '""',
    "' '",
    '"\\u3000"',
    '"\\u200b"',
    "\u3000",
    "[a, b]",
    "{a: b}",
    "stop-rule",
    "consult-doctor",
    "contraindications",
    "WARNING",
    "NOTICE",
    "x" * 5000,
]
"""Values put in place of a value written in a source."""


@dataclass(frozen=True)
class Case:
    """One fuzz input: files to write into the project copy (``None``: a link to nowhere)."""

    target: str
    """The project-relative source that was mutated (the loader is run on it)."""
    files: dict[str, bytes | None]
    """Project-relative path to its new bytes; ``None`` makes it a dangling link."""
    steps: tuple[str, ...]
    """What was done, in words, for the note saved with a finding."""


@dataclass(frozen=True)
class Outcome:
    """What came of a case: ``ok``, ``crash``, ``hang`` or ``accepted``, with details."""

    kind: str
    detail: str = ""


@dataclass
class Tally:
    """The findings of a run so far."""

    cases: int = 0
    accepted: int = 0
    findings: dict[str, int] = field(default_factory=lambda: {"crash": 0, "hang": 0, "accepted": 0})


# --- Invariants of an accepted catalogue --------------------------------------------------------

REQUIRED_ROLES = (Role.DOCTOR_NOTICE, Role.CONTRAINDICATIONS, Role.CAUTION, Role.STOP_RULE)


def violations(catalogue: Catalogue) -> list[str]:
    """Return every invariant the outputs rely on that an accepted catalogue breaks.

    Written apart from the checks in ``validate`` (from the built catalogue, not the
    sources), so that a gap in those checks shows up here.
    """
    found: list[str] = []
    published = catalogue.published
    if not published:
        found.append("no published exercise")
    elif not any(e.section is Section.GETTING_ON for e in published):
        found.append("no published getting-on exercise")
    for exercise in catalogue.exercises:
        if not EARLIEST_REVIEW <= exercise.reviewed <= LATEST_REVIEW:
            found.append(f"{exercise.id}: review date {exercise.reviewed} outside the range")
    for exercise in published:
        where = exercise.id
        shared = catalogue.shared.messages
        roles = [shared[e.ref].role for e in exercise.safety if e.ref in shared]
        for role in REQUIRED_ROLES:
            if role not in roles:
                found.append(f"{where}: published without the {role} message in 'safety'")
        entries = [*exercise.safety, *exercise.expect]
        entries += [e for phase in exercise.phases for step in phase.steps for e in step.safety]
        messages: list[tuple[str, MessageFields]] = []
        for entry in entries:
            if entry.ref is None:
                messages.append(("(in place)", entry))
            elif entry.ref in shared:
                messages.append((entry.ref, shared[entry.ref]))
            else:
                found.append(f"{where}: refers to the unknown message {entry.ref}")
        if not any(message.signal is not None for _, message in messages):
            found.append(f"{where}: published without a message with a signal word")
        for name, message in messages:
            if not _complete(message):
                found.append(f"{where}: message {name} is incomplete")
        if not _visible(exercise.purpose or ""):
            found.append(f"{where}: published without a purpose")
        if not exercise.phases or any(not phase.steps for phase in exercise.phases):
            found.append(f"{where}: published without phases with steps")
        for prerequisite in exercise.prerequisites.exercises:
            target = catalogue.get(prerequisite)
            if target is None or not target.published:
                found.append(f"{where}: requires '{prerequisite}', which is not published")
        found += [f"{where}: {text!r} {why}" for text, why in _bad_texts(exercise.model_dump())]
    texts = catalogue.shared.model_dump()
    found += [f"shared: {text!r} {why}" for text, why in _bad_texts(texts)]
    return found


def _complete(message: MessageFields) -> bool:
    if message.signal is not None:
        return _visible(message.hazard or "") and any(_visible(t) for t in message.avoid)
    body = [*message.text, *message.items]
    return _visible(message.title or "") and any(_visible(t) for t in body)


def _visible(text: str) -> bool:
    return any(unicodedata.category(c)[0] not in ("C", "Z") for c in text)


def _bad_texts(data: Any) -> Iterator[tuple[str, str]]:
    """Yield every string in ``data`` that is blank or holds a character the loader refuses."""
    if isinstance(data, str):
        if not _visible(data):
            yield data, "is blank"
        for char in data:
            why = describe_character(char)
            if why is not None:
                yield data, f"has a character the loader refuses: {why}"
                break
    elif isinstance(data, dict):
        for value in data.values():
            yield from _bad_texts(value)
    elif isinstance(data, list | tuple):
        for value in data:
            yield from _bad_texts(value)


# --- Mutations ----------------------------------------------------------------------------------


def _lines(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True) or [b""]


def _flip(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    if not data:
        return b"\xff", "flipped nothing into a 0xff byte"
    at = rng.randrange(len(data))
    mask = 1 << rng.randrange(8)
    return data[:at] + bytes([data[at] ^ mask]) + data[at + 1 :], f"flipped a bit at byte {at}"


def _byte(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    at = rng.randrange(len(data) + 1)
    value = rng.randrange(256)
    return data[:at] + bytes([value]) + data[at + 1 :], f"set byte {at} to {value:#04x}"


def _delete_span(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    at = rng.randrange(len(data) + 1)
    size = rng.choice([1, 2, 4, 16, 64])
    return data[:at] + data[at + size :], f"deleted {size} byte(s) at {at}"


def _truncate(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    at = rng.randrange(len(data) + 1)
    return data[:at], f"cut the file at byte {at}"


def _delete_line(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    lines = _lines(data)
    at = rng.randrange(len(lines))
    return b"".join(lines[:at] + lines[at + 1 :]), f"deleted line {at + 1}"


def _duplicate_line(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    lines = _lines(data)
    at = rng.randrange(len(lines))
    return b"".join(lines[: at + 1] + lines[at:]), f"repeated line {at + 1}"


def _move_line(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    lines = _lines(data)
    source = rng.randrange(len(lines))
    line = lines.pop(source)
    target = rng.randrange(len(lines) + 1)
    lines.insert(target, line)
    return b"".join(lines), f"moved line {source + 1} to {target + 1}"


def _indent(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    lines = _lines(data)
    at = rng.randrange(len(lines))
    change = rng.choice([b" ", b"  ", b"\t", b"-"])
    if rng.random() < 0.5 and lines[at].startswith(b" "):
        lines[at] = lines[at][1:]
        return b"".join(lines), f"took one space off line {at + 1}"
    lines[at] = change + lines[at]
    return b"".join(lines), f"put {change!r} before line {at + 1}"


def _token(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    token = rng.choice(TOKENS).encode("utf-8", "surrogatepass")
    lines = _lines(data)
    at = rng.randrange(len(lines))
    line = lines[at]
    colon = line.find(b": ")
    column = colon + 2 if colon >= 0 and rng.random() < 0.6 else rng.randrange(len(line) + 1)
    lines[at] = line[:column] + token + line[column:]
    return b"".join(lines), f"inserted {token!r} in line {at + 1} at column {column + 1}"


def _value(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    lines = _lines(data)
    keyed = [i for i, line in enumerate(lines) if b": " in line or line.rstrip().endswith(b":")]
    if not keyed:
        return _token(rng, data)
    at = rng.choice(keyed)
    line = lines[at]
    key, _, _ = line.partition(b":")
    if rng.random() < 0.3:  # a value from elsewhere in the same file
        others = [ln.partition(b":")[2].strip() for ln in lines if b": " in ln]
        value = rng.choice(others) if others else b""
    else:
        value = rng.choice(VALUES).encode("utf-8")
    lines[at] = key + b": " + value + b"\n"
    return b"".join(lines), f"set the value of line {at + 1} to {value[:40]!r}"


def _publish(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    if b"status: draft" in data:
        return data.replace(b"status: draft", b"status: published", 1), "made a draft published"
    return _delete_line(rng, data)


def _nest(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    depth = rng.choice([MAX_DEPTH - 1, MAX_DEPTH, MAX_DEPTH + 1, 100, 10_000, 100_000])
    kind = rng.choice(["[]", "{}", "block"])
    if kind == "block":
        nested = b"\n" + b"".join(b" " * level + b"k:\n" for level in range(min(depth, 2000)))
    else:
        nested = kind[0].encode() * depth + kind[1].encode() * depth
    lines = _lines(data)
    at = rng.randrange(len(lines))
    colon = lines[at].find(b": ")
    if colon >= 0:
        lines[at] = lines[at][: colon + 2] + nested + b"\n"
    else:
        lines.insert(at, b"deep: " + nested + b"\n")
    return b"".join(lines), f"nested {kind} {depth} deep at line {at + 1}"


def _huge(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    size = rng.choice([MAX_BYTES, MAX_BYTES + 1, 4 * MAX_BYTES])
    how = rng.choice(["comment", "text", "repeat"])
    if how == "comment":
        padded = data + b"\n#" + b"x" * max(0, size - len(data) - 2)
    elif how == "text":
        padded = data + b"\ntips: " + b"word " * (size // 5)
    else:
        padded = data * (size // max(len(data), 1) + 1)
    return padded[:size] if how != "repeat" else padded, f"made it about {size} bytes ({how})"


def _splice(rng: random.Random, data: bytes, others: list[bytes]) -> tuple[bytes, str]:
    donor = _lines(rng.choice(others))
    lines = _lines(data)
    at = rng.randrange(len(lines))
    taken = rng.randrange(len(donor))
    lines[at : at + 1] = donor[taken : taken + rng.choice([1, 1, 3, 10])]
    return b"".join(lines), f"replaced line {at + 1} by lines of another source"


Mutation = Callable[[random.Random, bytes], tuple[bytes, str]]
MUTATIONS: list[tuple[Mutation, int]] = [
    (_flip, 3),
    (_byte, 2),
    (_delete_span, 2),
    (_truncate, 1),
    (_delete_line, 6),
    (_duplicate_line, 3),
    (_move_line, 2),
    (_indent, 2),
    (_token, 6),
    (_value, 6),
    (_publish, 2),
    (_nest, 1),
    (_huge, 1),
]
"""Each mutation with its weight: the ones that keep a file loadable come up most."""


def mutate(
    rng: random.Random, data: bytes, others: Sequence[bytes] = ()
) -> tuple[bytes, list[str]]:
    """Return ``data`` with one to three random mutations, and what they were."""
    steps: list[str] = []
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        if others and rng.random() < 0.08:
            data, step = _splice(rng, data, list(others))
        else:
            functions, weights = zip(*MUTATIONS, strict=True)
            data, step = rng.choices(functions, weights)[0](rng, data)
        steps.append(step)
        if len(data) > 2 * MAX_BYTES:
            break  # a second mutation of a huge file only costs time
    return data, steps


def sources(root: Path) -> dict[str, bytes]:
    """Return every source ``load_catalogue`` reads, by project-relative path."""
    found: dict[str, bytes] = {}
    for part in COPIED:
        path = root / part
        files = [path] if path.is_file() else sorted(path.rglob("*.yaml")) if path.is_dir() else []
        for file in files:
            if file.is_file() and not file.name.startswith((".", "#")):
                found[file.relative_to(root).as_posix()] = file.read_bytes()
    return found


def make_case(rng: random.Random, originals: dict[str, bytes]) -> Case:
    """Return a random case built from the real sources."""
    names = sorted(originals)
    content = [n for n in names if n.startswith("content/")]
    target = rng.choice(content if rng.random() < 0.8 else names)
    data, steps = mutate(rng, originals[target], [originals[n] for n in content])
    files: dict[str, bytes | None] = {target: data}
    extra = rng.random()
    if extra < 0.05 and target.startswith("content/exercises/"):
        name = f"content/exercises/copy-{rng.randrange(100)}.yaml"
        files[name] = data
        steps.append(f"wrote it also as {name}")
    elif extra < 0.08:
        folder = target.rpartition("/")[0] or "content"
        base = target.rpartition("/")[2]
        lock = rng.choice([f".#{base}", f"#{base}#", f"{base}~", f".{base}.swp"])
        files[f"{folder}/{lock}"] = None if lock.startswith(".#") else data
        steps.append(f"added the editor file {folder}/{lock}")
    return Case(target, files, tuple(steps))


# --- Running a case -----------------------------------------------------------------------------


def check_case(root: Path, case: Case) -> Outcome:
    """Apply ``case`` to the project copy at ``root``, load it, and say what came of it."""
    from generator.sources.load import load_document
    from generator.sources.validate import load_catalogue

    try:
        _apply(root, case)
        target = root / case.target
        document, problems = load_document(target, root)
        _expect_problems(problems)
        if document is None and list(case.files) == [case.target]:
            return Outcome("ok")  # the catalogue would only repeat the file's problems
        catalogue, problems = load_catalogue(root)
        _expect_problems(problems)
    except Exception:  # anything but problems is a crash
        return Outcome("crash", traceback.format_exc())
    if catalogue is None:
        return Outcome("ok")
    broken = violations(catalogue)
    if broken:
        return Outcome("accepted", "\n".join(broken))
    return Outcome("ok", "accepted")


def _expect_problems(problems: object) -> None:
    if not isinstance(problems, list) or not all(isinstance(p, Problem) for p in problems):
        raise TypeError(f"expected a list of problems, got {problems!r}")
    for problem in problems:
        str(problem)  # every problem must print


def _apply(root: Path, case: Case) -> None:
    for name, data in case.files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_symlink() or path.exists():
            path.unlink()
        if data is None:
            path.symlink_to("nowhere@host.12345:1700000000")
        else:
            path.write_bytes(data)


def restore(root: Path, case: Case, originals: dict[str, bytes]) -> None:
    """Undo ``case`` in the project copy: put back the real files, remove the added ones."""
    for name in case.files:
        path = root / name
        if path.is_symlink() or path.exists():
            path.unlink()
        if name in originals:
            path.write_bytes(originals[name])


Checker = Callable[[Path, Case], Outcome]


def _serve(conn: Connection, root: str, checker: Checker) -> None:
    """Worker process: run each case received and send back what came of it."""
    try:
        while True:
            case = conn.recv()
            conn.send(checker(Path(root), case))
    except (EOFError, KeyboardInterrupt):  # the run is over, or stopped with Ctrl-C
        return


class Worker:
    """A process that runs cases, killed and replaced when one hangs or kills it."""

    def __init__(self, root: Path, checker: Checker) -> None:
        self.root = root
        self.checker = checker
        self.context = multiprocessing.get_context("spawn")
        self.process: BaseProcess | None = None
        self.conn: Connection | None = None

    def run(self, case: Case, timeout: float) -> Outcome:
        """Return what came of ``case``; a hang or a dead worker is an outcome too."""
        if self.process is None or self.conn is None:
            self.start()
        assert self.process is not None and self.conn is not None
        self.conn.send(case)
        if not self.conn.poll(timeout):
            self.stop()
            return Outcome("hang", f"no answer within {timeout:g} s")
        try:
            outcome: Outcome = self.conn.recv()
        except EOFError:
            self.process.join(5)
            code = self.process.exitcode
            self.stop()
            return Outcome("crash", f"the worker process died (exit code {code})")
        return outcome

    def start(self) -> None:
        """Start the worker process and wait until it is ready."""
        parent, child = self.context.Pipe()
        self.process = self.context.Process(
            target=_serve, args=(child, str(self.root), self.checker), daemon=True
        )
        self.process.start()
        child.close()
        self.conn = parent
        # Warm up (imports, the syllable table) so that it does not count against a case.
        self.conn.send(Case("content/shared.yaml", {}, ("warm-up",)))
        if not self.conn.poll(120):
            raise RuntimeError("the fuzz worker did not start within 120 s")
        self.conn.recv()

    def stop(self) -> None:
        """End the worker process (it was started here) and close the pipe."""
        if self.conn is not None:
            self.conn.close()
            self.conn = None
        if self.process is not None:
            if self.process.is_alive():
                self.process.kill()
            self.process.join(10)
            self.process.close()
            self.process = None


# --- The command --------------------------------------------------------------------------------


def fuzz(
    root: Path,
    seconds: float,
    seed: int,
    out: Path,
    timeout: float = DEFAULT_TIMEOUT,
    checker: Checker = check_case,
    log: Callable[[str], None] = print,
) -> Tally:
    """Fuzz for ``seconds``; save each finding below ``out``; return the tally."""
    originals = sources(root)
    rng = random.Random(seed)
    tally = Tally()
    work = Path(tempfile.mkdtemp(prefix="backrack-fuzz-"))
    worker: Worker | None = None
    try:
        for part in COPIED:
            if (root / part).is_dir():
                shutil.copytree(root / part, work / part, symlinks=True)
            elif (root / part).is_file():
                shutil.copy2(root / part, work / part)
        worker = Worker(work, checker)
        worker.start()
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            case = make_case(rng, originals)
            outcome = worker.run(case, timeout)
            restore(work, case, originals)
            tally.cases += 1
            if outcome.kind == "ok":
                tally.accepted += outcome.detail == "accepted"
                continue
            tally.findings[outcome.kind] += 1
            saved = _save(out, sum(tally.findings.values()), seed, case, outcome)
            log(f"{outcome.kind}: {case.target} ({'; '.join(case.steps)}); saved in {saved}")
    except KeyboardInterrupt:
        log("stopped with Ctrl-C")
    finally:
        if worker is not None:
            worker.stop()
        shutil.rmtree(work, ignore_errors=True)
    return tally


def _save(out: Path, number: int, seed: int, case: Case, outcome: Outcome) -> Path:
    folder = out / f"{number:04d}-{outcome.kind}"
    for name, data in case.files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data if data is not None else b"(a link to a file that does not exist)\n")
    note = [
        f"finding: {outcome.kind}",
        f"run seed: {seed}",
        f"mutated: {case.target}",
        *(f"  {step}" for step in case.steps),
        "",
        outcome.detail,
    ]
    (folder / "finding.txt").write_text("\n".join(note) + "\n", encoding="utf-8")
    return folder


def main(argv: Sequence[str] | None = None) -> int:
    """Run the fuzz command line; return 1 if anything was found."""
    parser = argparse.ArgumentParser(
        prog="python -m generator.dev.fuzz",
        description="Fuzz the loader and the whole catalogue with mutations of the real sources.",
    )
    parser.add_argument("--seconds", type=float, default=60.0, help="how long (default: 60)")
    parser.add_argument("--seed", type=int, help="seed, to repeat a run (default: random)")
    parser.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        help=f"seconds after which a case counts as a hang (default: {DEFAULT_TIMEOUT:g})",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path(DEFAULT_OUT),
        help=f"folder for the failing inputs (default: {DEFAULT_OUT})",
    )
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="project folder")
    args = parser.parse_args(argv)
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(2**32)
    print(f"fuzzing for {args.seconds:g} s with seed {seed}", flush=True)
    started = time.monotonic()
    tally = fuzz(args.root.resolve(), args.seconds, seed, args.out, args.timeout)
    elapsed = max(time.monotonic() - started, 1e-9)
    found = sum(tally.findings.values())
    print(
        f"{tally.cases} case(s) in {elapsed:.1f} s ({tally.cases / elapsed:.1f} per second), "
        f"{tally.accepted} accepted; findings: {tally.findings['crash']} crash(es), "
        f"{tally.findings['hang']} hang(s), {tally.findings['accepted']} wrongly accepted"
        + (f"; inputs saved in {args.out}" if found else "")
    )
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
