"""Installed into sam/target/sam-venv by sam/bin/ensure-sam (with falgate_container_network.pth).

SAM CLI creates its Lambda containers without a network mode (docker-py sends "default"), and
podman 4.3's Docker-compatible API turns "default" into its bridge, whatever containers.conf
says. A container on that bridge cannot reach the embedded stack, which listens on 127.0.0.1
only. With FALGATE_CONTAINER_NETWORK set (./falgate sam and the SAM tests set it when they use
podman), containers SAM creates without a network mode get that one instead:
slirp4netns with the host's loopback reachable as 10.0.2.2. Without the variable, nothing changes.
"""
import os

_MODE = os.environ.get("FALGATE_CONTAINER_NETWORK")

if _MODE:
    from docker.types import containers as _containers

    _original_init = _containers.HostConfig.__init__

    def _init(self, version, *args, network_mode=None, **kwargs):
        _original_init(self, version, *args, network_mode=network_mode or _MODE, **kwargs)

    _containers.HostConfig.__init__ = _init
