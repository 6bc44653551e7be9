# Local stand-in for mcr.microsoft.com/dotnet/runtime:10.0-noble-chiseled, for machines that cannot pull images:
# the runtime-deps stand-in plus this machine's .NET runtime (the dotnet host and Microsoft.NETCore.App), for
# framework-dependent programs such as the samples. scripts/build-images.sh builds it with the host's .NET root
# folder as the build context.
ARG RUNTIME_DEPS_IMAGE=mcr.microsoft.com/dotnet/runtime-deps:10.0-noble-chiseled
FROM ${RUNTIME_DEPS_IMAGE}
COPY dotnet LICENSE.txt ThirdPartyNotices.txt /usr/share/dotnet/
COPY host/ /usr/share/dotnet/host/
COPY shared/Microsoft.NETCore.App/ /usr/share/dotnet/shared/Microsoft.NETCore.App/
# The chiseled image links /usr/bin/dotnet; without a shell to make the link, PATH names the folder instead.
ENV DOTNET_ROOT=/usr/share/dotnet \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/usr/share/dotnet
