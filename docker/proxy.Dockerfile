# syntax=docker/dockerfile:1
# Azure AD Workload Identity IMDS proxy sidecar (see docs/proxy.md).
# Build from the repository root:
#   docker buildx build -f docker/proxy.Dockerfile --platform linux/amd64,linux/arm64 \
#     --build-arg GIT_COMMIT="$(git rev-parse HEAD)" -t ghcr.io/azure-workload-identity-dotnet/proxy:v0.1.0 .
# Without registry access (base images as local stand-ins, podman): bash scripts/build-images.sh
# The webhook injects it as a sidecar whose postStart hook runs `/proxy --proxy-port=<port> --probe`, so the
# executable lives at /proxy. It runs as UID 1501: the proxy-init iptables rules exempt that UID, which is how
# the proxy's own pass-through requests reach the real 169.254.169.254 instead of looping back to itself.

# Base images are build arguments so that a machine without registry access can substitute local ones
# (scripts/build-images.sh passes its stand-ins from docker/stand-ins/).
ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0-noble-aot
ARG RUNTIME_DEPS_IMAGE=mcr.microsoft.com/dotnet/runtime-deps:10.0-noble-chiseled

# NativeAOT (PublishAot in the csproj): the -aot SDK image has the native toolchain ILCompiler links with. It compiles
# for the architecture it runs on, so each platform of a multi-platform build runs this stage on (or emulating) that
# architecture; there is no --platform=$BUILDPLATFORM here.
FROM ${SDK_IMAGE} AS build
ARG TARGETARCH
WORKDIR /src

COPY global.json Directory.Build.props Directory.Packages.props ./
# Core.csproj imports BuildInfo.targets, so restore needs it too.
COPY src/AzureWorkloadIdentity.Core/AzureWorkloadIdentity.Core.csproj src/AzureWorkloadIdentity.Core/BuildInfo.targets src/AzureWorkloadIdentity.Core/
COPY src/AzureWorkloadIdentity.Proxy/AzureWorkloadIdentity.Proxy.csproj src/AzureWorkloadIdentity.Proxy/
RUN dotnet restore src/AzureWorkloadIdentity.Proxy/AzureWorkloadIdentity.Proxy.csproj -a "$TARGETARCH"

COPY src/AzureWorkloadIdentity.Core/ src/AzureWorkloadIdentity.Core/
COPY src/AzureWorkloadIdentity.Proxy/ src/AzureWorkloadIdentity.Proxy/
# The context has no .git: the commit and build date that --version prints come in as arguments (empty: "unknown"
# and the time of the build).
ARG GIT_COMMIT=
ARG BUILD_DATE=
RUN dotnet publish src/AzureWorkloadIdentity.Proxy/AzureWorkloadIdentity.Proxy.csproj \
      -c Release -a "$TARGETARCH" --no-restore -p:DebugType=none -o /app \
      -p:GitCommit="$GIT_COMMIT" -p:BuildDate="$BUILD_DATE"

# A NativeAOT binary needs only the C library and OpenSSL, not the .NET runtime.
FROM ${RUNTIME_DEPS_IMAGE} AS runtime
COPY --from=build --chown=0:0 /app/proxy /proxy
EXPOSE 8000
USER 1501:1501
ENTRYPOINT ["/proxy"]
