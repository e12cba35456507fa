"""Everything needed to draw a diagram: the body, the scene and the poses by name."""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.diagrams.geometry import Figure, place_figure
from generator.diagrams.model import Body, Pose, Scene

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
    _figures: dict[str, Figure] = field(default_factory=dict, compare=False, repr=False)

    def figure(self, pose: str) -> Figure:
        """Return the placed figure of a pose, computed once (placing it is costly)."""
        found = self._figures.get(pose)
        if found is None:
            found = self._figures[pose] = place_figure(self.body, self.scene, self.poses[pose])
        return found
