#!/bin/sh
# Registers the Temporal namespace Greenfin uses (TEMPORAL_NAMESPACE, default `default`) if it is
# not there yet. Run by compose.yaml's `temporal-namespace` service once the server is healthy.
set -eu
: "${TEMPORAL_ADDRESS:=temporal:7233}" "${NAMESPACE:=default}" "${RETENTION:=168h}"
attempt=0
until temporal operator cluster health --address "$TEMPORAL_ADDRESS"; do
  attempt=$((attempt + 1))
  [ "$attempt" -lt 12 ] || { echo "Temporal at $TEMPORAL_ADDRESS is not healthy"; exit 1; }
  sleep 5
done
temporal operator namespace describe -n "$NAMESPACE" --address "$TEMPORAL_ADDRESS" >/dev/null 2>&1 \
  || temporal operator namespace create -n "$NAMESPACE" --retention "$RETENTION" --address "$TEMPORAL_ADDRESS"
echo "Namespace $NAMESPACE is ready"
