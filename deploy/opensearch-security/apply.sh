#!/bin/sh
# Creates (or replaces) Vigil's OpenSearch Security roles, and maps them, through the Security
# plugin's REST API. The JSON files next to this script are the request bodies; see
# docs/opensearch-security.md for what each role allows and why.
#
#   OPENSEARCH_URL=https://opensearch.example:9200 OPENSEARCH_USER=admin OPENSEARCH_PASSWORD=... \
#   [OPENSEARCH_CA=/path/to/ca.pem] ./apply.sh [roles|mappings|all]
#
# "roles" (the default) creates the roles only; "mappings" applies rolesmapping/*.json (edit them
# first: they name the users and backend roles of *your* deployment); "all" does both. Running it
# again replaces Vigil's roles and mappings with the files' content and touches nothing else.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp)
trap 'rm -f "$out"' EXIT
what=${1:-roles}
: "${OPENSEARCH_URL:?set OPENSEARCH_URL, e.g. https://localhost:9200}"
: "${OPENSEARCH_USER:?set OPENSEARCH_USER (a user allowed to change security configuration)}"
: "${OPENSEARCH_PASSWORD:?set OPENSEARCH_PASSWORD}"

put() { # $1 = API kind (roles, rolesmapping), $2 = file
  name=$(basename "$2" .json)
  if [ -n "${OPENSEARCH_CA:-}" ]; then
    set -- "$1" "$2" --cacert "$OPENSEARCH_CA"
  fi
  kind=$1
  file=$2
  shift 2
  status=$(curl -sS -o "$out" -w '%{http_code}' -X PUT \
    -u "$OPENSEARCH_USER:$OPENSEARCH_PASSWORD" -H 'Content-Type: application/json' \
    --data-binary "@$file" "${OPENSEARCH_URL%/}/_plugins/_security/api/$kind/$name" "$@") || status=000
  case "$status" in
    200 | 201) echo "$kind/$name: $(cat "$out")" ;;
    *)
      echo "$kind/$name: HTTP $status: $(cat "$out" 2>/dev/null)" >&2
      exit 1
      ;;
  esac
}

case "$what" in
  roles | mappings | all) ;;
  *) echo "usage: $0 [roles|mappings|all]" >&2; exit 2 ;;
esac
if [ "$what" != mappings ]; then
  for f in "$here"/roles/*.json; do put roles "$f"; done
fi
if [ "$what" != roles ]; then
  for f in "$here"/rolesmapping/*.json; do put rolesmapping "$f"; done
fi
