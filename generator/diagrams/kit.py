"""Everything needed to draw a diagram: the body, the scene and the poses by name."""

from __future__ import annotations

from dataclasses import dataclass, field

from .model import Body, Pose, Scene

DIAGRAMS_DIR = "diagrams"
BODY_FILE = "body.yaml"
SCENE_FILE = "scene.yaml"
POSES_DIR = "poses"


@dataclass(frozen=True)
class Kit:
    """The valid diagram data."""

    body: Body
    """Proportions, thickness and joint limits."""
    scene: Scene
    """The rack, the bed, the floor, the colours."""
    poses: dict[str, Pose] = field(default_factory=dict)
    """Every valid pose, by id."""
