# syntax=docker/dockerfile:1
# Azure AD Workload Identity mutating admission webhook.
# Build from the repository root (multi-arch with buildx):
#   docker buildx build -f docker/webhook.Dockerfile --platform linux/amd64,linux/arm64 \
#     --build-arg GIT_COMMIT="$(git rev-parse HEAD)" -t ghcr.io/azure-workload-identity-dotnet/webhook:v0.1.0 .
# Without registry access (base images as local stand-ins, podman): bash scripts/build-images.sh
# The webhook is published as NativeAOT (PublishAot in the csproj), so the runtime image is runtime-deps (the C library
# and OpenSSL; no .NET runtime, no shell, no package manager). Runs as UID/GID 65532 like the original image, which
# the chart's securityContext also sets; the root filesystem can be read-only.

# Base images are build arguments so that a machine without registry access can substitute local ones
# (scripts/build-images.sh passes its stand-ins from docker/stand-ins/).
ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0-noble-aot
ARG RUNTIME_DEPS_IMAGE=mcr.microsoft.com/dotnet/runtime-deps:10.0-noble-chiseled

# The -aot SDK image has the native toolchain ILCompiler links with. It compiles for the architecture it runs on, so
# each platform of a multi-platform build runs this stage on (or emulating) that architecture.
FROM ${SDK_IMAGE} AS build
ARG TARGETARCH
WORKDIR /src

# Restore first, from the project files only, so source edits reuse the restore layer.
COPY global.json Directory.Build.props Directory.Packages.props ./
# Core.csproj imports BuildInfo.targets and the webhook's csproj WebhookRuntime.props, so restore needs them too:
# restore ignores a missing import, and without the props (PublishAot) it would not restore the NativeAOT compiler.
COPY src/AzureWorkloadIdentity.Core/AzureWorkloadIdentity.Core.csproj src/AzureWorkloadIdentity.Core/BuildInfo.targets src/AzureWorkloadIdentity.Core/
COPY src/AzureWorkloadIdentity.Webhook/AzureWorkloadIdentity.Webhook.csproj src/AzureWorkloadIdentity.Webhook/WebhookRuntime.props src/AzureWorkloadIdentity.Webhook/
RUN dotnet restore src/AzureWorkloadIdentity.Webhook/AzureWorkloadIdentity.Webhook.csproj -a "$TARGETARCH"

COPY src/AzureWorkloadIdentity.Core/ src/AzureWorkloadIdentity.Core/
COPY src/AzureWorkloadIdentity.Webhook/ src/AzureWorkloadIdentity.Webhook/
# The context has no .git: the commit and build date that --version prints come in as arguments (empty: "unknown"
# and the time of the build).
ARG GIT_COMMIT=
ARG BUILD_DATE=
RUN dotnet publish src/AzureWorkloadIdentity.Webhook/AzureWorkloadIdentity.Webhook.csproj \
      -c Release -a "$TARGETARCH" --no-restore -p:DebugType=none -o /app \
      -p:GitCommit="$GIT_COMMIT" -p:BuildDate="$BUILD_DATE"

FROM ${RUNTIME_DEPS_IMAGE} AS runtime
COPY --from=build --chown=0:0 /app/webhook /manager
# Kestrel is configured by the webhook's own flags (--port, --health-addr, --metrics-addr), not ASPNETCORE_URLS.
ENV ASPNETCORE_URLS= \
    ASPNETCORE_HTTP_PORTS=
EXPOSE 9443 9440 8095
USER 65532:65532
ENTRYPOINT ["/manager"]
