#!/usr/bin/env bash
# Builds the shipped language-ID model from Debian fortune packages (12 languages) and writes the held-out
# evaluation sample used by LanguageIdentifierTest. Needs apt (download only, nothing installed) and a JDK 25.
#   scripts/data/build-langid.sh            # writes the resources below and prints the accuracies
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
MODEL="$ROOT/llama3j-data/src/main/resources/org/llama3j/data/langid/fortunes-langid.bin.gz"
EVAL="$ROOT/llama3j-data/src/test/resources/langid/fortunes-heldout.jsonl"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

cd "$WORK"
# fortunes-fr is not in Debian; Portuguese comes from fortunes-br, English from fortunes (+ fortunes-min).
apt-get download fortunes fortunes-min fortunes-de fortunes-it fortunes-es fortunes-ru fortunes-pl fortunes-cs \
  fortunes-zh fortunes-bg fortunes-ga fortunes-eo fortunes-br >/dev/null
for deb in *.deb; do dpkg -x "$deb" x; done
F="$WORK/x/usr/share/games/fortunes"
# English: the files of the 'fortunes' package only (the top directory also holds other packages' files)
mkdir en zh pt it-extra
for f in $(dpkg -c fortunes_*.deb | awk '{print $6}' | grep '^./usr/share/games/fortunes/[^/]*$' | grep -v '\.dat$\|\.u8$\|/$'); do
  cp "x/${f#./}" en/; done
for f in chinese tang300 song100; do cp "$F/$f" zh/; done
cp "$F/brasil" pt/
for f in $(dpkg -c fortunes-it_*.deb | awk '{print $6}' | grep '^./usr/share/games/fortunes/[^/]*$' | grep -v '\.dat$\|\.u8$\|/$'); do
  cp "x/${f#./}" it-extra/; done

cd "$ROOT"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
./mvnw -B -q -pl llama3j-data -am install -DskipTests
./mvnw -B -q -pl llama3j-data dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt"
mkdir -p "$(dirname "$MODEL")" "$(dirname "$EVAL")"
"$JAVA_HOME/bin/java" -cp "llama3j-data/target/classes:$(cat "$WORK/cp.txt")" org.llama3j.data.langid.LanguageModelTrainer \
  --out "$MODEL" --heldout "$EVAL" --buckets 65536 --per-language 60 \
  en="$WORK/en" de="$F/de" it="$F/it" it="$WORK/it-extra" es="$F/es" ru="$F/ru" pl="$F/pl" cs="$F/cs" \
  zh="$WORK/zh" bg="$F/bg" ga="$F/ga" eo="$F/eo" pt="$WORK/pt"
ls -l "$MODEL" "$EVAL"
