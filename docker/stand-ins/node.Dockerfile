# Local stand-in for node:22-bookworm-slim (the Node.js samples' NODE_IMAGE), for machines that cannot pull images:
# the Debian 12 stand-in base plus this machine's Node.js (the node binary and npm). scripts/build-images.sh builds it
# with a folder holding those two as the build context.
ARG BASE_IMAGE=debian:bookworm-slim
FROM ${BASE_IMAGE}

RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates libstdc++6 \
 && rm -rf /var/lib/apt/lists/*

# `npm ci` runs inside the sample builds, so the stand-in trusts what the host trusts (see sdk.Dockerfile); Node.js
# reads its own CA list, so the system bundle is named to it as well.
ARG HOST_CA_DIGEST=none
RUN echo "host CA certificates: ${HOST_CA_DIGEST}" \
 && if [ -d /mnt/host-ca-certificates ]; then cp -r /mnt/host-ca-certificates/. /usr/local/share/ca-certificates/; fi \
 && update-ca-certificates
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt

COPY node /usr/local/bin/node
COPY npm/ /usr/local/lib/node_modules/npm/
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
 && node --version && npm --version
