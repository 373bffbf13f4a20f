# Sourced by the sam/bin scripts and ./falgate: where the SAM tooling lives and the environment
# every SAM command runs with (telemetry off, dummy credentials the embedded stack accepts, region).
FALGATE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SAM_DIR="$FALGATE_ROOT/sam"
SAM_VENV="$SAM_DIR/target/sam-venv"
# AWS's image name: SAM builds its emulator overlay on top of whatever carries this tag.
LAMBDA_IMAGE="public.ecr.aws/lambda/java:21-x86_64"
# podman's Docker-compatible API; a short path (unix sockets allow ~100 bytes), one per clone
PODMAN_SOCKET="/tmp/falgate-podman-$(printf '%s' "$FALGATE_ROOT" | cksum | cut -d' ' -f1)/podman.sock"

export SAM_CLI_TELEMETRY=0 DO_NOT_TRACK=1 SAM_CLI_DISABLE_UPDATE_CHECK=1
export AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-us-east-1}" AWS_REGION="${AWS_REGION:-us-east-1}"
# the embedded stack's identity (LocalAws): S3Proxy checks it, containers inherit it from SAM
export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-falgatelocal}"
export AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-falgate-local-secret}"
export CONTAINERS_CONF="$SAM_DIR/podman/containers.conf"
# With podman: each Lambda container in a user-mode network of its own (slirp4netns) where the
# host's loopback, on which the embedded stack listens, is 10.0.2.2 (see
# sam/podman/falgate_container_network.py); SAM is told `--add-host host.docker.internal:10.0.2.2`.
PODMAN_CONTAINER_NETWORK="slirp4netns:allow_host_loopback=true"
