"""Which Windows base image a service's container image is built on, and the settings that
follow from it: its size as the registry sends it and its start.

The lessons' images are Microsoft's two Windows Server base images, Nano Server and Server
Core; an image named otherwise (an app built on one of them) counts as Nano Server unless its
name says Server Core.  A service's own ``image_mb`` wins over the base image's size.
"""

from __future__ import annotations

from vmc_gui.model.parameters import ParameterSet
from vmc_gui.model.scenario import ServiceSpec

#: The base images the parameters describe, by the name their settings use.
BASE_IMAGES = ("nanoserver", "servercore")


def base_image(image: str) -> str:
    """The base image ``image`` is built on."""
    return "servercore" if "servercore" in image.casefold() else "nanoserver"


def start_setting(image: str) -> str:
    """The setting that gives a process-isolated container of ``image`` its start."""
    return f"container.{base_image(image)}_start_s"


def image_mb(service: ServiceSpec, p: ParameterSet) -> float:
    """The service's image as the registry sends it (compressed), in MB."""
    if service.image_mb is not None:
        return float(service.image_mb)
    return float(p[f"container.{base_image(service.image)}_image_mb"])
