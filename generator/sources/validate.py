"""From loaded documents to a valid catalogue, collecting every problem on the way.

``load_catalogue`` finds the files, loads each (``load.py``: strict YAML),
binds it to the model (``bind.py``: pydantic errors become positioned
problems) and applies the rules (``rules.py``: references, cycles, the
safety gate, plain language, glyphs, poses). Nothing stops at the first
problem, so an author sees every mistake of a run at once.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from generator.diagrams.check import check_contacts, check_limits, check_palette
from generator.diagrams.kit import BODY_FILE, DIAGRAMS_DIR, POSES_DIR, SCENE_FILE, Kit
from generator.diagrams.model import Body, Pose, Scene
from generator.errors import Problem
from generator.model import Exercise, Shared
from generator.sources.bind import load_model
from generator.sources.catalogue import Catalogue, sort_key
from generator.sources.load import Document
from generator.sources.memo import Checked, Memo
from generator.sources.print_config import PRINT_FILE, PrintConfig
from generator.sources.products import load_products
from generator.sources.rules import (
    check_cycles,
    check_folder,
    check_glyphs,
    check_identity,
    check_language,
    check_phases,
    check_pose_identity,
    check_publication,
    check_references,
    check_safety_gate,
    check_shared,
    reader_texts,
    shared_texts,
)
from generator.sources.static_files import PUBLISHED_AS_THEY_ARE, static_problems
from generator.translations import files as translation_files
from generator.translations.check import language_problems

CONTENT_DIR = "content"
SHARED_FILE = "shared.yaml"
EXERCISES_DIR = "exercises"


def load_catalogue(root: Path, cache: Path | None = None) -> tuple[Catalogue | None, list[Problem]]:
    """Load and validate every source under ``root/content``; return the catalogue and problems.

    ``cache``: the folder where each file's own validation is kept by its hash (``memo.py``;
    ``None``: every file is validated afresh, nothing is kept). The checks across files
    run every time.
    """
    memo = Memo(root, cache)
    content = root / CONTENT_DIR
    problems: list[Problem] = []
    shared_file = memo.checked(content / SHARED_FILE, "shared", partial(_shared, root))
    shared_doc, shared = shared_file.document, shared_file.value
    problems.extend(shared_file.problems)
    exercise_docs: dict[str, tuple[Document, Exercise]] = {}
    own: dict[str, dict[str, list[Problem]]] = {}  # each kept exercise's own checks
    files = _yaml_files(content / EXERCISES_DIR)
    problems.extend(check_folder(root, content / EXERCISES_DIR, files))
    for path in files:
        checked = memo.checked(path, "exercise", partial(_exercise, path, root))
        problems.extend(checked.problems)
        document, exercise = checked.document, checked.value
        if document is None or exercise is None:
            continue
        problems.extend(check_identity(document, exercise, exercise_docs))
        if exercise.id not in exercise_docs:
            exercise_docs[exercise.id] = (document, exercise)
            own[exercise.id] = checked.extra
    kit, broken_poses = _load_kit(root, problems, memo)
    printing = _load_print_config(root, problems)
    products = load_products(root, problems)
    for document, exercise in exercise_docs.values():
        problems.extend(check_phases(document, exercise, kit, broken_poses))
    invalid = {p.stem for p in files} - set(exercise_docs)
    if files and not invalid:  # with a file in error, what is published is not yet known
        problems.extend(check_publication(root, content / EXERCISES_DIR, exercise_docs))
    if shared is not None and shared_doc is not None:
        problems.extend(shared_file.extra["shared"])  # check_shared
        problems.extend(shared_file.extra["language"])  # check_language
        for document, exercise in exercise_docs.values():
            problems.extend(check_references(document, exercise, shared, exercise_docs, invalid))
            if exercise.published:
                problems.extend(check_safety_gate(document, exercise, shared))
                problems.extend(own[exercise.id]["language"])  # check_language
        problems.extend(check_cycles(exercise_docs))
    for _document, exercise in exercise_docs.values():
        if exercise.published:
            problems.extend(own[exercise.id]["glyphs"])  # check_glyphs
    if shared_doc is not None:
        problems.extend(shared_file.extra["glyphs"])  # check_glyphs
    for folder in PUBLISHED_AS_THEY_ARE:  # only regular files of the project are published
        problems.extend(static_problems(root, folder))
    for language in translation_files.languages(root):  # the translation files, at their lines
        po = translation_files.po_path(root, language)
        problems.extend(
            memo.checked(po, "translation", partial(_translation, root, language)).problems
        )
    errors = any(p.severity == "error" for p in problems)
    if errors or shared is None or kit is None or products is None:
        return None, problems
    exercises = tuple(sorted((e for _, e in exercise_docs.values()), key=sort_key))
    return Catalogue(shared, exercises, kit, printing or PrintConfig(), products), problems


def _shared(root: Path) -> Checked:
    """Validate the shared texts alone: load, bind, and the checks of their own."""
    problems: list[Problem] = []
    document, shared = load_model(root / CONTENT_DIR / SHARED_FILE, root, Shared, problems)
    extra: dict[str, list[Problem]] = {}
    if document is not None:
        extra["glyphs"] = list(check_glyphs(document))
        if shared is not None:
            extra["shared"] = list(check_shared(document, shared))
            extra["language"] = list(check_language(document, shared_texts(shared)))
    return Checked(document, shared, problems, extra)


def _exercise(path: Path, root: Path) -> Checked:
    """Validate one exercise alone: load, bind, and (published) its language and glyphs."""
    problems: list[Problem] = []
    document, exercise = load_model(path, root, Exercise, problems)
    extra: dict[str, list[Problem]] = {}
    if document is not None and exercise is not None and exercise.published:
        extra["language"] = list(check_language(document, reader_texts(exercise)))
        extra["glyphs"] = list(check_glyphs(document))
    return Checked(document, exercise, problems, extra)


def _pose(path: Path, root: Path, body: Body | None, scene: Scene | None) -> Checked:
    """Validate one pose alone: load, bind, its description's language, and (with a valid
    body and scene) its joint limits and, if they hold, its contacts."""
    problems: list[Problem] = []
    document, pose = load_model(path, root, Pose, problems)
    extra: dict[str, list[Problem]] = {}
    if document is not None and pose is not None:
        extra["language"] = list(check_language(document, [(("description",), pose.description)]))
        if body is not None and scene is not None:
            extra["limits"] = list(check_limits(document, pose, body))
            if not extra["limits"]:
                extra["contacts"] = list(check_contacts(document, pose, body, scene))
    return Checked(document, pose, problems, extra)


def _translation(root: Path, language: str) -> Checked:
    """Check one translation file alone (its parse is most of the cost)."""
    return Checked(None, None, language_problems(root, language))


def _load_print_config(root: Path, problems: list[Problem]) -> PrintConfig | None:
    """Load ``print.yaml`` (optional: without it, the defaults apply)."""
    if not (root / PRINT_FILE).is_file():
        return PrintConfig()
    return load_model(root / PRINT_FILE, root, PrintConfig, problems)[1]


def _load_kit(root: Path, problems: list[Problem], memo: Memo) -> tuple[Kit | None, set[str]]:
    """Load the body, the scene and every pose; check each pose against the body and scene.

    Returns the kit (``None`` if the body or scene is invalid) and the names of
    pose files that failed, so that phases naming them are not reported twice.
    """
    folder = root / DIAGRAMS_DIR
    _body_doc, body = load_model(folder / BODY_FILE, root, Body, problems)
    scene_doc, scene = load_model(folder / SCENE_FILE, root, Scene, problems)
    if scene_doc is not None and scene is not None:
        problems.extend(check_palette(scene_doc, scene))
    poses: dict[str, Pose] = {}
    files = _yaml_files(folder / POSES_DIR)
    for path in files:
        checked = memo.checked(
            path,
            "pose",
            partial(_pose, path, root, body, scene),
            depends=(folder / BODY_FILE, folder / SCENE_FILE),
        )
        problems.extend(checked.problems)
        document, pose = checked.document, checked.value
        if document is None or pose is None:
            continue
        found = list(check_pose_identity(document, pose, poses))
        problems.extend(checked.extra["language"])  # check_language
        if body is not None and scene is not None:
            found += checked.extra["limits"]  # check_limits
            if not found:
                found += checked.extra["contacts"]  # check_contacts
        problems.extend(found)
        if not found:
            poses.setdefault(pose.id, pose)
    broken = {p.stem for p in files} - set(poses)
    if body is None or scene is None:
        return None, broken
    return Kit(body, scene, poses), broken


def _yaml_files(folder: Path) -> list[Path]:
    """Return the YAML sources below ``folder``, sorted; editors' own files are left out."""
    if not folder.is_dir():
        return []
    files = [
        p
        for p in folder.rglob("*")
        if p.suffix in (".yaml", ".yml")
        and not any(_editor_file(part) for part in p.relative_to(folder).parts)
        and (p.is_file() or p.is_symlink())
    ]
    return sorted(files)


def _editor_file(name: str) -> bool:
    """Return whether a file or folder name is hidden or an editor's lock, backup or swap file.

    Emacs locks a file being edited with a dangling link ``.#name.yaml`` and keeps
    ``#name.yaml#`` and ``name.yaml~``; Vim keeps ``.name.yaml.swp`` (``.swo``, …);
    LibreOffice ``.~lock.name#``. None of them is a source.
    """
    return name.startswith((".", "#", "~")) or name.endswith(("~", "#"))
