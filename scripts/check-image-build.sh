#!/usr/bin/env bash
# Builds what the Dockerfile builds, without Docker, and checks the binary the image would ship.
#
#   scripts/check-image-build.sh [--plan | --check BINARY] [--stage DIR]
#
# Reads the Dockerfile's build stage (the stage named "build") and carries it out on this machine, in
# order: each COPY copies from the repository into DIR (default .build-image, the stage's WORKDIR), each
# RUN runs in DIR with sh -c, word for word. Nothing is copied out of the Dockerfile by hand, so a
# change there is what this checks. Then it checks what the runtime stage copies out of the build stage
# (the binary) and from the repository (payloads/): the toolchain here is the builder image's version;
# `ldd` lists no Swift runtime (libswift*, Foundation, dispatch) and only libraries that Debian's slim
# image has; the binary answers --version and --help, lists its compiled-in scenarios, and runs a short
# load against its embedded bot from a directory holding only payloads/, as the image's /app does.
#
# --plan prints the steps it would take (copy SRC DEST, run CMD, ship SRC DEST) and exits: a test holds
# them equal to the Dockerfile's instructions (DockerImageTests). --check BINARY builds nothing and
# checks BINARY as the image's (a test shows a debug build, linked to the Swift runtime, fails it).
# Exit codes: 0 ok, 1 a check failed, 2 the Dockerfile has an instruction this script cannot carry out.
# A full build costs a release build (about 10 minutes on the 2-core machine; see README "Beyond one
# machine"); a second run rebuilds only what changed.
set -euo pipefail
cd "$(dirname "$0")/.."

plan_only=false
check_only=""
stage=.build-image
while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    --plan) plan_only=true; shift ;;
    --check) check_only="${2:?--check needs a binary}"; shift 2 ;;
    --stage) stage="${2:?--stage needs a directory}"; shift 2 ;;
    *) echo "check-image-build: unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done

# The Dockerfile as instructions, one a line: comments dropped, continuation lines joined.
instructions() {
  sed -e '/^[[:space:]]*#/d' -e '/^[[:space:]]*$/d' Dockerfile |
    awk '{ if (sub(/\\[[:space:]]*$/, "")) { line = line $0 } else { print line $0; line = "" } }'
}

fail() { echo "check-image-build: $*" >&2; exit 1; }

# The plan: the build stage's COPY and RUN, then what the runtime stage takes from it and from here.
plan=()
builder="" workdir="" in_build=false seen_build=false
while IFS= read -r line; do
  keyword="${line%% *}" rest="${line#* }"
  case "$keyword" in
    FROM)
      if [[ "$rest" =~ ^([^[:space:]]+)[[:space:]]+[Aa][Ss][[:space:]]+build$ ]]; then
        builder="${BASH_REMATCH[1]}" in_build=true seen_build=true
      else
        in_build=false
      fi ;;
    WORKDIR) if $in_build; then workdir="$rest"; fi ;;
    COPY)
      if $in_build; then
        read -r -a parts <<<"$rest"
        dest="${parts[${#parts[@]}-1]}"
        for src in "${parts[@]:0:${#parts[@]}-1}"; do plan+=("copy $src $dest"); done
      elif [[ "$rest" == --from=build\ * ]]; then
        read -r -a parts <<<"${rest#--from=build }"
        plan+=("ship ${parts[0]} ${parts[1]}")
      else
        read -r -a parts <<<"$rest"
        plan+=("context ${parts[0]} ${parts[1]}")
      fi ;;
    RUN) if $in_build; then plan+=("run $rest"); fi ;;
    *)
      if $in_build; then echo "check-image-build: cannot carry out '$keyword' in the build stage" >&2; exit 2; fi ;;
  esac
done < <(instructions)
$seen_build || { echo "check-image-build: the Dockerfile has no stage 'FROM … AS build'" >&2; exit 2; }
[ -n "$workdir" ] || { echo "check-image-build: the build stage has no WORKDIR" >&2; exit 2; }

if $plan_only; then
  echo "builder $builder"
  echo "workdir $workdir"
  printf '%s\n' "${plan[@]}"
  exit 0
fi

# Carries out the build stage in $stage; sets $binary (what the runtime stage ships) and $built (seconds).
build() {
  # The toolchain here must be the builder image's (swift:6.3.1-… → Swift version 6.3.1).
  local wanted="${builder#swift:}"; wanted="${wanted%%-*}"
  swift --version 2>&1 | grep -q "Swift version $wanted[ (]" || fail "the builder is $builder, but here: $(swift --version 2>&1 | head -1)"
  local started step kind args src dest target
  started=$(date +%s)
  mkdir -p "$stage"
  stage=$(cd "$stage" && pwd)
  for step in "${plan[@]}"; do
    kind="${step%% *}" args="${step#* }"
    case "$kind" in
      copy)
        src="${args%% *}" dest="${args#* }"
        [ -e "$src" ] || fail "COPY $src: no such file in the repository"
        target="$stage/${dest%/}"  # COPY SRC DEST: DEST is SRC's new name, unless it is a folder (. or …/)
        if [ "$dest" = . ] || [[ "$dest" == */ ]]; then target="$stage/${dest%/}/$(basename "$src")"; fi
        rm -rf "$target" && mkdir -p "$(dirname "$target")" && cp -a "$src" "$target" ;;
      run)
        echo "check-image-build: RUN $args" >&2
        (cd "$stage" && sh -c "$args") || fail "RUN $args failed" ;;
    esac
  done
  built=$(( $(date +%s) - started ))
  binary=""
  for step in "${plan[@]}"; do
    kind="${step%% *}" args="${step#* }" src="${args%% *}"
    case "$kind" in
      ship)
        [[ "$src" == "$workdir"/* ]] || fail "COPY --from=build $src: outside the build stage's WORKDIR $workdir"
        binary="$stage/${src#"$workdir"/}"
        [ -x "$binary" ] || fail "COPY --from=build $src: the build stage made no such file" ;;
      context) [ -e "$src" ] || fail "COPY $src: no such file in the repository" ;;
    esac
  done
  [ -n "$binary" ] || fail "the runtime stage copies nothing out of the build stage"
}

if [ -n "$check_only" ]; then
  binary="$(cd "$(dirname "$check_only")" && pwd)/$(basename "$check_only")" built=""
else
  build
fi

# No Swift runtime, and nothing that debian:bookworm-slim does not have (libc6, libgcc-s1, libstdc++6, zlib1g).
libraries=$(ldd "$binary")
if grep -Eiq 'libswift|foundation|dispatch|BlocksRuntime|not found' <<<"$libraries"; then
  fail "$binary needs a Swift runtime library:"$'\n'"$libraries"
fi
while read -r name _; do
  case "$name" in
    linux-vdso.so.1|/lib64/ld-linux-x86-64.so.2|ld-linux-*|libc.so.6|libm.so.6|libstdc++.so.6|libgcc_s.so.1|libz.so.1|libpthread.so.0|libdl.so.2|librt.so.1|libutil.so.1) ;;
    *) fail "$binary needs $name, which debian:bookworm-slim does not have:"$'\n'"$libraries" ;;
  esac
done <<<"$libraries"

# It runs: as the image runs it, from a directory with only payloads/ in it.
app=$(mktemp -d)
trap 'rm -rf "$app"' EXIT
cp -a payloads "$app/payloads"
cp "$binary" "$app/loadgen"
cd "$app"
version=$(env -i PATH=/usr/bin:/bin ./loadgen --version) || fail "--version failed"
env -i PATH=/usr/bin:/bin ./loadgen --help | grep -q '^USAGE: loadgen' || fail "--help printed no usage"
env -i PATH=/usr/bin:/bin ./loadgen list | grep -q 'generic' || fail "'loadgen list' has no built-in 'generic' scenario"
env -i PATH=/usr/bin:/bin ./loadgen --concurrency 4 --journeys 2 --think-time 0 --quiet --report-dir reports/smoke >/dev/null \
  || fail "a short run against the embedded bot failed"
turns=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["totals"]["turns"])' reports/smoke/report.json)
[ "$turns" = 8 ] || fail "the short run's report counts $turns turns, not 8 (4 users, 2 journeys each)"
echo "check-image-build: ok — loadgen $version ($(du -h "$binary" | cut -f1), Swift runtime linked in)${built:+, built in ${built}s}; it needs only" \
  "$(awk '{print $1}' <<<"$libraries" | tr '\n' ' ')"
