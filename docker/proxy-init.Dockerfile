# syntax=docker/dockerfile:1
# Azure AD Workload Identity proxy-init: installs the nat rules that send the pod's IMDS traffic
# (169.254.169.254:80) to the proxy sidecar, exempting the proxy's UID 1501 (see docs/proxy.md).
# Build from the repository root:
#   docker buildx build -f docker/proxy-init.Dockerfile --platform linux/amd64,linux/arm64 \
#     -t ghcr.io/azure-workload-identity-dotnet/proxy-init:v0.1.0 .
# The injected init container runs as root with the NET_ADMIN capability; environment: PROXY_PORT (8000),
# METADATA_IP (169.254.169.254), METADATA_PORT (80), PROXY_UID (1501).

# The base image is a build argument so that a machine without registry access can substitute a local Debian 12
# (scripts/build-images.sh passes its debootstrap stand-in).
ARG BASE_IMAGE=debian:bookworm-slim
FROM ${BASE_IMAGE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends iptables \
 && rm -rf /var/lib/apt/lists/*
COPY --chmod=0755 init/init-iptables.sh /bin/init-iptables.sh
USER 0:0
ENTRYPOINT ["/bin/init-iptables.sh"]
