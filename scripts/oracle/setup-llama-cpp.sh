#!/usr/bin/env bash
# Installs the llama.cpp oracle: the exact llama.cpp source that node-llama-cpp@3.21.1 ships
# (its embedded git bundle), built on this machine, plus our own llama-logits tool.
#
# Idempotent: each step writes a stamp file holding the inputs it was done with; a step whose
# stamp matches is skipped, so a second run takes a second. The build stamp includes the CPU
# flags because GGML_NATIVE=ON compiles for this CPU: a cache carried to a different CPU
# (~/.cache survives between machines sometimes) is rebuilt instead of dying with SIGILL.
#
# Usage: scripts/oracle/setup-llama-cpp.sh       (prints the bin dir as the last stdout line)
# Env:   LLAMA3J_ORACLE_DIR   install root (default ~/.cache/llama3j/oracle)
#        LLAMA3J_ORACLE_JOBS  parallel build jobs (default 2: the dev machine has 2 shared cores)
set -euo pipefail

NODE_LLAMA_CPP_VERSION=3.21.1
# The commit of the bundle inside node-llama-cpp@3.21.1 (llama/llama.cpp.info.json names
# release tag "v0.4.0" of ggml-org/llama.cpp; the bundle is one squashed commit). A different
# commit means the oracle changed under us: fail rather than silently compare against another.
EXPECTED_COMMIT=80fb11ac73e66d89eae2c6a91d8a77428fa733ed
TARGETS=(llama-simple llama-perplexity llama-bench llama-quantize llama-tokenize)

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="${LLAMA3J_ORACLE_DIR:-$HOME/.cache/llama3j/oracle}"
jobs="${LLAMA3J_ORACLE_JOBS:-2}"
npm_dir="$root/npm"
src="$root/llama.cpp"
build="$src/build"
bin="$build/bin"

log() { echo "[setup-llama-cpp] $*" >&2; }
die() { echo "[setup-llama-cpp] ERROR: $*" >&2; exit 1; }

# stamp_ok NAME CONTENT: true when step NAME was already done with exactly CONTENT.
stamp_ok() { [ -f "$root/.stamp-$1" ] && [ "$(cat "$root/.stamp-$1")" = "$2" ]; }
stamp_set() { printf '%s' "$2" >"$root/.stamp-$1"; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

ensure_tools() {
  local missing=()
  command -v cmake >/dev/null || missing+=(cmake)
  command -v g++ >/dev/null || missing+=(g++)
  command -v make >/dev/null || missing+=(make)
  command -v git >/dev/null || missing+=(git)
  command -v npm >/dev/null || missing+=(npm)
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]} via apt"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
  fi
}

mkdir -p "$root"
# One setup at a time per install root (CI and a developer may start it together).
exec 9>"$root/.lock"
flock 9

ensure_tools

# 1. node-llama-cpp from npm. --ignore-scripts: its postinstall ("node-llama-cpp postinstall")
#    downloads prebuilt binaries or builds llama.cpp itself; we only want the source bundle.
#    --omit=optional skips the per-platform prebuilt binary packages.
if ! stamp_ok npm "$NODE_LLAMA_CPP_VERSION" || [ ! -f "$npm_dir/node_modules/node-llama-cpp/llama/gitRelease.bundle" ]; then
  log "npm install node-llama-cpp@$NODE_LLAMA_CPP_VERSION"
  rm -rf "$npm_dir"
  mkdir -p "$npm_dir"
  echo '{"name":"llama3j-oracle-scratch","private":true}' >"$npm_dir/package.json"
  (cd "$npm_dir" && npm install --ignore-scripts --omit=optional --no-audit --no-fund \
      "node-llama-cpp@$NODE_LLAMA_CPP_VERSION" >&2)
  got="$(node -p "require('$npm_dir/node_modules/node-llama-cpp/package.json').version")"
  [ "$got" = "$NODE_LLAMA_CPP_VERSION" ] || die "npm installed node-llama-cpp $got, wanted $NODE_LLAMA_CPP_VERSION"
  stamp_set npm "$NODE_LLAMA_CPP_VERSION"
fi
pkg_llama="$npm_dir/node_modules/node-llama-cpp/llama"

# 2. Clone the bundle and apply the patch node-llama-cpp applies before its own build
#    (PR-22566: memory accounting for no_alloc model loads; no effect on numerics, applied so
#    the oracle is exactly what node-llama-cpp builds).
if ! stamp_ok clone "$EXPECTED_COMMIT" || [ ! -f "$src/include/llama.h" ]; then
  log "cloning $pkg_llama/gitRelease.bundle"
  head="$(git bundle list-heads "$pkg_llama/gitRelease.bundle" | awk '$2=="HEAD"{print $1}')"
  [ "$head" = "$EXPECTED_COMMIT" ] || die "bundle HEAD is '$head', expected $EXPECTED_COMMIT"
  rm -rf "$src"
  git -c advice.detachedHead=false clone -q "$pkg_llama/gitRelease.bundle" "$src"
  git -C "$src" -c advice.detachedHead=false checkout -q "$EXPECTED_COMMIT"
  if ! grep -q "n_tensors = gguf_get_n_tensors(metadata);" "$src/src/llama-model-loader.cpp"; then
    git -C "$src" apply --ignore-whitespace "$pkg_llama/patches/PR-22566.diff"
  fi
  rm -f "$root/.stamp-configure" "$root/.stamp-build" "$root/.stamp-logits"
  stamp_set clone "$EXPECTED_COMMIT"
fi

# 3. Configure. Only what the oracle needs: no server/UI (LLAMA_USE_PREBUILT_UI would fetch
#    from the network), no tests, no OpenSSL. LLAMA_CURL no longer exists in this version
#    (CMakeLists.txt only warns it is deprecated), so it is not passed.
cpu_sig="$(grep -m1 '^flags' /proc/cpuinfo | md5sum | cut -c1-12)"
#    AMX is switched off although -march=native enables it: on this kind of machine (a VM) the
#    kernel grants the AMX permission but `tilezero` still traps, so every Q4_0/Q8_0 matmul
#    (ggml-cpu/amx/mmq.cpp) died with SIGILL. GCC lets an explicit -mno-* win over a later
#    -march=native. The AVX-512 paths stay.
no_amx="-mno-amx-tile -mno-amx-int8 -mno-amx-bf16"
cmake_args=(-DGGML_NATIVE=ON -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=ON
  "-DCMAKE_C_FLAGS=$no_amx" "-DCMAKE_CXX_FLAGS=$no_amx"
  -DLLAMA_BUILD_SERVER=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_APP=OFF
  -DLLAMA_USE_PREBUILT_UI=OFF -DLLAMA_OPENSSL=OFF)
config_sig="$EXPECTED_COMMIT cpu=$cpu_sig ${cmake_args[*]}"
if ! stamp_ok configure "$config_sig" || [ ! -f "$build/CMakeCache.txt" ]; then
  log "cmake configure (${cmake_args[*]})"
  rm -rf "$build"
  cmake -S "$src" -B "$build" "${cmake_args[@]}" >&2
  rm -f "$root/.stamp-build" "$root/.stamp-logits"
  stamp_set configure "$config_sig"
fi

# 4. Build the tool targets.
build_sig="$config_sig targets=${TARGETS[*]}"
all_built() { for t in "${TARGETS[@]}"; do [ -x "$bin/$t" ] || return 1; done; }
if ! stamp_ok build "$build_sig" || ! all_built; then
  log "building ${TARGETS[*]} with -j$jobs (takes a while on 2 cores)"
  start=$(date +%s)
  cmake --build "$build" --config Release -j "$jobs" --target "${TARGETS[@]}" >&2
  log "build took $(( $(date +%s) - start ))s"
  all_built || die "build finished but a target is missing in $bin"
  rm -f "$root/.stamp-logits"
  stamp_set build "$build_sig"
fi

# 5. Our llama-logits tool, compiled against the built libllama (rpath to the bin dir, where
#    this version's CMake puts the shared libraries).
logits_src="$here/llama-logits.cpp"
logits_sig="$build_sig src=$(md5sum <"$logits_src" | cut -c1-32)"
if ! stamp_ok logits "$logits_sig" || [ ! -x "$bin/llama-logits" ]; then
  log "compiling llama-logits"
  g++ -std=c++17 -O2 -Wall -Wextra -o "$bin/llama-logits" "$logits_src" \
    -I"$src/include" -I"$src/ggml/include" \
    -L"$bin" -lllama -lggml -lggml-base -Wl,-rpath,"$bin" -lpthread
  stamp_set logits "$logits_sig"
fi

for t in "${TARGETS[@]}" llama-logits; do
  "$bin/$t" --help >/dev/null 2>&1 || [ $? -le 1 ] || die "$bin/$t does not run"
done
log "llama.cpp oracle ready ($EXPECTED_COMMIT, node-llama-cpp $NODE_LLAMA_CPP_VERSION)"
echo "$bin"
