#!/usr/bin/env bash
# Removes each security check once, runs the unit tests of the modules that hold it, and shows
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
D=ledger-streams/src/main/java/dev/trustledger/ledger/sequencer/DecisionKeys.java
K=schemas/src/main/java/dev/trustledger/topic/KeyRecords.java
U=ledger-streams/src/main/java/dev/trustledger/ledger/topology/KeysUpdater.java
M=ledger-streams/src/main/java/dev/trustledger/ledger/store/AuthenticatedSerde.java
TC=trust-client/src/main/java/dev/trustledger/client/TrustClient.java
SE=query-api/src/main/java/dev/trustledger/ssf/SecurityEvents.java
B=schemas/src/main/java/dev/trustledger/trust/ReportBounds.java
F=schemas/src/main/java/dev/trustledger/crypto/KeyFiles.java
A=query-api/src/main/java/dev/trustledger/api/ApiApp.java
L=query-api/src/main/java/dev/trustledger/api/LedgerApi.java
G=query-api/src/main/java/dev/trustledger/api/BodyGate.java
H=query-api/src/main/java/dev/trustledger/api/HeaderDeadline.java
P=schemas/src/main/java/dev/trustledger/merkle/Proofs.java
C=schemas/src/main/java/dev/trustledger/checkpoint/CosignerKey.java
CU=ledger-streams/src/main/java/dev/trustledger/ledger/topology/CheckpointsUpdater.java
TI=ledger-streams/src/main/java/dev/trustledger/ledger/store/TreeIndex.java
W=query-api/src/main/java/dev/trustledger/witness/Witness.java
RV=schemas/src/main/java/dev/trustledger/receipt/ReceiptVerifier.java
O=schemas/src/main/java/dev/trustledger/event/Outcomes.java
CA=ledger-streams/src/main/java/dev/trustledger/ledger/audit/CheckpointAudit.java
LN=ledger-streams/src/main/java/dev/trustledger/ledger/lineage/Lineage.java

# Which tests run: "ledger" = the schemas and ledger-streams unit tests; "api" = the query API's.
LEDGER_TESTS=(-pl schemas,ledger-streams test)
API_TESTS=(-pl query-api -am test "-Dtest=dev.trustledger.api.**,dev.trustledger.witness.**,dev.trustledger.ssf.**" -Dsurefire.failIfNoSpecifiedTests=false)
CLIENT_TESTS=(-pl trust-client test)

# name | tests | file | the check as written | the check removed
MUTANTS=(
  "signature|ledger|$V|if (!EventSignatures.signatureValid(event, signingBytes, signer)) {|if (false) {"
  "sequencer-signature|ledger|$S|result = verifier.verify(in.event(), key);|result = Optional.empty();"
  "proof-of-possession|ledger|$V|if (!EventSignatures.popValid(event, signingBytes, newKey)) {|if (false) {"
  "id-key-match|ledger|$V|if (!expected.equals(event.getSubjectId())) {|if (false) {"
  "replay-window-stale|ledger|$R|if (issuedAt < t - params.replayWindowMs()) {|if (false) {"
  "replay-window-future|ledger|$R|if (issuedAt > t + params.futureSkewMs()) {|if (false) {"
  "ids-belong-to-signers|ledger|$D|return acceptedPrefix(subjectId, eventId) + signerId;|return acceptedPrefix(subjectId, eventId);"
  "key-record-signature|ledger|$K|if (!ledgerKey.verify(signingBytes(unsigned), Buffers.toArray(record.getSignature()))) {|if (false) {"
  "key-record-id|ledger|$K|        && !PrincipalIds.matches(record.getPrincipalId(), kind.get(), key)) {|        && false) {"
  "key-record-first-id|ledger|$K|if (first != null && !PrincipalIds.matches(record.getPrincipalId(), kind.get(), first)) {|if (false) {"
  "key-record-replay|ledger|$U|if (key.getLedgerSeq() < inForce) {|if (false) {"
  "sequencer-mac|ledger|$M|if (!MessageDigest.isEqual(mac, hmac(key, body))) {|if (false) {"
  "diminishing-reports|ledger|$B|double diminish = 1 / (1 + count);|double diminish = 1;"
  "tree-evidence-cap|ledger|$B|double scale = added <= 0 ? 1 : Math.min(1, room / added);|double scale = 1;"
  "key-file-mode|ledger|$F|if (!open.isEmpty()) {|if (false) {"
  "read-token|api|$A|if (!ok) {|if (false) {"
  "early-413|api|$A|if (length > options.maxBodyBytes()) {|if (false) {"
  "strict-json|api|$L|.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)|.disable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)"
  "min-trust-range|api|$L|!min.canConvertToInt()|false"
  "body-readers|api|$G|if (!permits.tryAcquire()) {|if (!permits.tryAcquire() && false) {"
  "header-deadline|api|$H|http.getEndPoint().close();|;"
  "metrics-method-tags|api|$A|return TAGGED_METHODS.contains(method) ? method : \"other\";|return method;"
  "merkle-inclusion|ledger|$P|if (!MessageDigest.isEqual(computed, root)) {|if (false) {"
  "merkle-consistency|ledger|$P|if (!MessageDigest.isEqual(sr, toRoot)) {|if (false) {"
  "cosignature|ledger|$C|if (!publicKey.verify(message(timestamp, text), signature)) {|if (false) {"
  "checkpoint-note|ledger|$CU|CheckpointBody body = verify(c);|CheckpointBody body = CheckpointBody.parse(dev.trustledger.checkpoint.SignedNote.parse(c.getNote()).text());"
  "audit-checkpoint-key|ledger|$CA|        body = keys.verify(c.getNote());|        body = CheckpointBody.parse(dev.trustledger.checkpoint.SignedNote.parse(c.getNote()).text());"
  "rotation-authorization|ledger|$R|if (!self && !forced) {|if (false) {"
  "renewal-authorization|ledger|$R|if (c.signer.kind() != PrincipalKind.ADMIN && !c.signer.id().equals(subject.getSponsorId())) {|if (false) {"
  "capabilities-narrow|ledger|$R|      if (!missing.isEmpty()) {|      if (false) {"
  "lifetime-cap|ledger|$R|if (cap != null && expiresAt - t > cap) {|if (false) {"
  "conflict-not-activity|ledger|$R|after = after.keepingActivityOf(before);|after = after;"
  "retired-checkpoint-key|ledger|$CU|if (i < newest) {|if (false) {"
  "ledger-signs-only-rotations|ledger|$R|if (signer.kind() == PrincipalKind.LEDGER|if (false && signer.kind() == PrincipalKind.LEDGER"
  "parent-suspension|ledger|$LN|if (parent.get().getStatus() == PrincipalStatus.SUSPENDED) {|if (false) {"
  "sponsor-suspension|ledger|$LN|if (sponsor.isPresent() && sponsor.get().getStatus() == PrincipalStatus.SUSPENDED) {|if (false) {"
  "tree-index-conflict|ledger|$TI|return Arrays.equals(held, leafHash);|return true;"
  "witness-old-size|api|$W|if (request.oldSize() != held) {|if (false) {"
  "witness-log-signature|api|$W|      log.verifyText(note);|      if (false) log.verifyText(note);"
  "witness-consistency|api|$W|          Proofs.verifyConsistency(|          if (false) Proofs.verifyConsistency("
  "receipt-statement|api|$RV|if (!Statement.verify(receipt.statement(), receipt.signature(), signingKey)) {|if (false) {"
  "receipt-ledger-rotation|ledger|$RV|if (!EventSignatures.signatureValid(event, SigningBytes.of(event), key)) {|if (false) {"
  "receipt-quorum|api|$RV|if (cosigners.size() < quorum) {|if (false) {"
  "outcome-signature|api|$O|return ledgerKey.verify(signingBytes(outcome), signature);|return true;"
  "client-staleness|client|$TC|System.nanoTime() - heard > maxStaleness.toNanos();|false;"
  "client-signature|client|$TC|if (!verify(agent.publicKey(), message, signature)) {|if (false) {"
  "client-revoked|client|$TC|      return new Answer(Reason.REVOKED, 0, seq);|      ;"
)

status=0
for m in "${MUTANTS[@]}"; do
  IFS='|' read -r name tests file check removed <<<"$m"
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
  case "$tests" in
    api) args=("${API_TESTS[@]}") ;;
    client) args=("${CLIENT_TESTS[@]}") ;;
    *) args=("${LEDGER_TESTS[@]}") ;;
  esac
  ./mvnw -q -B -ntp "${args[@]}" -Dspotless.apply.skip=true -Dspotless.check.skip=true >"$log" 2>&1
  result=$?
  mv "$file.orig" "$file"
  touch "$file" # newer than the mutant's class file, so the next build compiles it again
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
