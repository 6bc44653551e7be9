# Local stand-in for mcr.microsoft.com/dotnet/sdk:10.0[-noble-aot], for machines that cannot pull images:
# the Debian 12 stand-in base, this machine's .NET SDK and the native toolchain NativeAOT links with (clang,
# zlib1g-dev). scripts/build-images.sh builds it with the host's .NET root folder as the build context:
#   podman build -f docker/stand-ins/sdk.Dockerfile --build-arg BASE_IMAGE=<debian stand-in> "$(dirname "$(readlink -f "$(command -v dotnet)")")"
ARG BASE_IMAGE=debian:bookworm
FROM ${BASE_IMAGE}

# ICU, OpenSSL and CA certificates are what the SDK itself (MSBuild, NuGet over HTTPS) needs; clang and
# zlib1g-dev are the NativeAOT prerequisites Microsoft documents for Debian.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates libicu72 libssl3 libstdc++6 zlib1g clang zlib1g-dev \
 && rm -rf /var/lib/apt/lists/*

# Restore runs inside the builds, so they must trust what the host trusts: a machine behind a TLS-inspecting proxy
# adds its CA to /usr/local/share/ca-certificates, which the script mounts at /mnt/host-ca-certificates (and
# HOST_CA_DIGEST changes this layer when those certificates change). Like the host, NuGet may have to skip online
# revocation checks there.
ARG HOST_CA_DIGEST=none
ARG NUGET_CERT_REVOCATION_MODE=online
RUN echo "host CA certificates: ${HOST_CA_DIGEST}" \
 && if [ -d /mnt/host-ca-certificates ]; then cp -r /mnt/host-ca-certificates/. /usr/local/share/ca-certificates/; fi \
 && update-ca-certificates

COPY . /usr/share/dotnet/
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet

ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 \
    DOTNET_NOLOGO=1 \
    DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 \
    DOTNET_RUNNING_IN_CONTAINER=true \
    NUGET_XMLDOC_MODE=skip \
    NUGET_CERT_REVOCATION_MODE=${NUGET_CERT_REVOCATION_MODE}
