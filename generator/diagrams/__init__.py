"""Posture diagrams: the body model, the scene and the poses, drawn as SVG.

Data lives in ``diagrams/`` (``body.yaml``, ``scene.yaml``, ``poses/*.yaml``);
``geometry`` turns angles into points, ``check`` holds the rules a pose must
meet, ``svg`` writes the pictures and ``render`` draws every phase.
"""
