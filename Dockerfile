# loadgen's image: built with the Swift toolchain, run on a slim Debian. The Swift runtime and Foundation
# are linked into the binary (--static-swift-stdlib), so the runtime stage needs only what Debian's
# slim image has, plus CA certificates for https targets.
#
#   docker build -t loadgen .
#   docker run --rm loadgen --help
#
# No Docker on the development machines: scripts/check-image-build.sh runs this file's build stage (its
# COPY lines and its RUN commands, read from here) and checks the binary (README "Beyond one machine").

FROM swift:6.3.1-bookworm AS build
WORKDIR /src
# The dependencies first, so that a change to the sources does not fetch them again.
COPY Package.swift ./
RUN swift package resolve
COPY Sources ./Sources
COPY Plugins ./Plugins
COPY scenarios ./scenarios
COPY Tests ./Tests
RUN swift build -c release --product loadgen --static-swift-stdlib
# Without the debug info (two thirds of the binary); the symbols stay, for readable crash backtraces.
RUN cp "$(swift build -c release --show-bin-path)/loadgen" ./loadgen && strip --strip-debug ./loadgen

FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --uid 10001 --user-group --create-home --home-dir /home/loadgen --shell /usr/sbin/nologin loadgen \
    && mkdir -p /app/reports \
    && chown loadgen:loadgen /app/reports
COPY --from=build /src/loadgen /usr/local/bin/loadgen
# Send.template steps read payloads/NAME.json relative to the working directory (--payloads; default
# payloads); the built-in scenarios are compiled in. Reports go to /app/reports unless --report-dir.
WORKDIR /app
COPY payloads ./payloads
USER 10001:10001
ENTRYPOINT ["loadgen"]
CMD ["--help"]
