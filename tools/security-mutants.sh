#!/usr/bin/env bash
# Removes each security check of the ledger once, runs the schemas and ledger-streams unit tests,
# and shows
# which tests go red; then puts the check back. A check whose removal leaves every test green has
# no test. See docs/decisions.md ("Every security check has a test that fails without it").
#
#   tools/security-mutants.sh            # all checks
#   tools/security-mutants.sh pop        # one check
set -uo pipefail
cd "$(dirname "$0")/.."
V=ledger-streams/src/main/java/dev/trustledger/ledger/verify/EventVerifier.java
S=ledger-streams/src/main/java/dev/trustledger/ledger/sequencer/Sequencer.java
R=ledger-streams/src/main/java/dev/trustledger/ledger/sequencer/Rules.java
K=schemas/src/main/java/dev/trustledger/topic/KeyRecords.java
M=ledger-streams/src/main/java/dev/trustledger/ledger/topology/AuthenticatedSerde.java

# name | file | the check as written | the check removed
MUTANTS=(
  "signature|$V|if (!EventSignatures.signatureValid(event, signingBytes, signer)) {|if (false) {"
  "sequencer-signature|$S|return verifier.verify(in.event(), key);|return Optional.empty();"
  "proof-of-possession|$V|if (!EventSignatures.popValid(event, signingBytes, newKey)) {|if (false) {"
  "id-key-match|$V|if (!expected.equals(event.getSubjectId())) {|if (false) {"
  "replay-window-stale|$R|if (issuedAt < t - params.replayWindowMs()) {|if (false) {"
  "replay-window-future|$R|if (issuedAt > t + params.futureSkewMs()) {|if (false) {"
  "key-record-signature|$K|if (!ledgerKey.verify(signingBytes(unsigned), Buffers.toArray(record.getSignature()))) {|if (false) {"
  "key-record-id|$K|if (key != null && !PrincipalIds.matches(record.getPrincipalId(), kind.get(), key)) {|if (false) {"
  "sequencer-mac|$M|if (!MessageDigest.isEqual(mac, hmac(key, body))) {|if (false) {"
)

status=0
for m in "${MUTANTS[@]}"; do
  IFS='|' read -r name file check removed <<<"$m"
  if [ $# -gt 0 ] && [ "$1" != "$name" ]; then continue; fi
  cp "$file" "$file.orig"
  python3 - "$file" "$check" "$removed" <<'PY'
import sys
path, old, new = sys.argv[1:4]
text = open(path).read()
if old not in text:
    sys.exit("check not found in " + path + ": " + old)
open(path, "w").write(text.replace(old, new, 1))
PY
  log=$(mktemp)
  ./mvnw -q -B -ntp -pl schemas,ledger-streams test -Dspotless.apply.skip=true -Dspotless.check.skip=true >"$log" 2>&1
  result=$?
  mv "$file.orig" "$file"
  red=$(grep -oE '^\[ERROR\]   [A-Za-z]+Test\.[A-Za-z]+' "$log" | sed 's/^\[ERROR\]   //' | sort -u)
  if [ $result -eq 0 ] || [ -z "$red" ]; then
    echo "UNTESTED $name: every test passes without this check"
    status=1
  else
    echo "caught   $name: $(echo "$red" | wc -l) test(s) red:"
    echo "$red" | sed 's/^/           /'
  fi
  rm -f "$log"
done
exit $status
