# Local stand-in for mcr.microsoft.com/dotnet/runtime-deps:10.0-noble-chiseled, for machines that cannot pull
# images: only what a NativeAOT (or framework-dependent) .NET program needs at run time — the C and C++ libraries,
# OpenSSL, zlib and the CA certificates (where OpenSSL looks for them: /usr/lib/ssl/certs) — and no shell, no package manager. Like the chiseled image it is made of
# package slices: the "collect" stage installs the packages and copies their libraries (not their programs) into
# /rootfs, which becomes the whole image.
ARG BASE_IMAGE=debian:bookworm
FROM ${BASE_IMAGE} AS collect
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates libssl3 libstdc++6 libgcc-s1 zlib1g \
 && rm -rf /var/lib/apt/lists/*

# Debian 12 has a merged /usr: keep /bin, /lib and /lib64 as links so the dynamic loader's paths resolve.
# Programs (bin/, sbin/), documentation and the gconv character-set modules (unused: .NET converts text itself)
# are left out.
RUN set -eu; \
    mkdir -p /rootfs/usr/bin /rootfs/usr/lib /rootfs/usr/lib64 /rootfs/usr/sbin /rootfs/etc/ssl /rootfs/tmp; \
    ln -s usr/bin /rootfs/bin; ln -s usr/lib /rootfs/lib; ln -s usr/lib64 /rootfs/lib64; ln -s usr/sbin /rootfs/sbin; \
    chmod 1777 /rootfs/tmp; \
    for package in libc6 libgcc-s1 libstdc++6 libssl3 zlib1g; do \
      dpkg -L "$package" \
        | grep -E '^/(usr/)?lib(64)?/' \
        | grep -v -E '/gconv/|/(doc|man|info|lintian|locale)/' \
        | while read -r path; do \
            if [ -f "$path" ] || [ -L "$path" ]; then cp -a --parents "$path" /rootfs; fi; \
          done; \
    done; \
    cp -a /etc/ssl/certs /rootfs/etc/ssl/; \
    cp -a --parents /usr/share/ca-certificates /rootfs; \
    mkdir -p /rootfs/usr/lib/ssl; \
    ln -s /etc/ssl/certs /rootfs/usr/lib/ssl/certs; ln -s /etc/ssl/certs/ca-certificates.crt /rootfs/usr/lib/ssl/cert.pem; \
    cp -a /etc/nsswitch.conf /etc/host.conf /rootfs/etc/; \
    cp -a --parents /usr/lib/os-release /rootfs; ln -s ../usr/lib/os-release /rootfs/etc/os-release; \
    printf 'root:x:0:0:root:/root:/usr/sbin/nologin\napp:x:1654:1654:app:/home/app:/usr/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/usr/sbin/nologin\n' > /rootfs/etc/passwd; \
    printf 'root:x:0:\napp:x:1654:\nnonroot:x:65532:\n' > /rootfs/etc/group; \
    mkdir -p /rootfs/root /rootfs/home/app /rootfs/home/nonroot; \
    chown 1654:1654 /rootfs/home/app; chown 65532:65532 /rootfs/home/nonroot

FROM scratch
COPY --from=collect /rootfs/ /
ENV APP_UID=1654 \
    DOTNET_RUNNING_IN_CONTAINER=true
