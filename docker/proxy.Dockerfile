# syntax=docker/dockerfile:1
# Azure AD Workload Identity IMDS proxy sidecar (see docs/proxy.md).
# Build from the repository root:
#   docker buildx build -f docker/proxy.Dockerfile --platform linux/amd64,linux/arm64 \
#     -t ghcr.io/azure-workload-identity-dotnet/proxy:v0.1.0 .
# The webhook injects it as a sidecar whose postStart hook runs `/proxy --proxy-port=<port> --probe`, so the
# executable lives at /proxy. It runs as UID 1501: the proxy-init iptables rules exempt that UID, which is how
# the proxy's own pass-through requests reach the real 169.254.169.254 instead of looping back to itself.

ARG DOTNET_VERSION=10.0

FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION} AS build
ARG TARGETARCH
WORKDIR /src

COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/AzureWorkloadIdentity.Core/AzureWorkloadIdentity.Core.csproj src/AzureWorkloadIdentity.Core/
COPY src/AzureWorkloadIdentity.Proxy/AzureWorkloadIdentity.Proxy.csproj src/AzureWorkloadIdentity.Proxy/
RUN dotnet restore src/AzureWorkloadIdentity.Proxy/AzureWorkloadIdentity.Proxy.csproj -a "$TARGETARCH"

COPY src/AzureWorkloadIdentity.Core/ src/AzureWorkloadIdentity.Core/
COPY src/AzureWorkloadIdentity.Proxy/ src/AzureWorkloadIdentity.Proxy/
RUN dotnet publish src/AzureWorkloadIdentity.Proxy/AzureWorkloadIdentity.Proxy.csproj \
      -c Release -a "$TARGETARCH" --no-restore --self-contained false \
      -p:UseAppHost=true -p:DebugType=none -o /app

# Chiseled ASP.NET Core runtime: no shell, no package manager.
FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION}-noble-chiseled AS runtime
# The app's files go to / so that the apphost is /proxy, the path the injected postStart hook calls.
COPY --from=build --chown=0:0 /app/ /
ENV ASPNETCORE_URLS= \
    ASPNETCORE_HTTP_PORTS= \
    DOTNET_gcServer=0 \
    DOTNET_CLI_TELEMETRY_OPTOUT=1
EXPOSE 8000
USER 1501:1501
ENTRYPOINT ["/proxy"]
