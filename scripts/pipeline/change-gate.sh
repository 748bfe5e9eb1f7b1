#!/bin/sh
# change-gate.sh: ask the change portal's deployment gate before a deploy, and report the
# deployment after it. POSIX sh and curl only; vendor this file into your pipeline's repository.
#
#   change-gate.sh check  --env ENV --ci NAME [--ci NAME...] --digest sha256:HEX [--digest ...] [--change CHG-000042]
#   change-gate.sh report --env ENV --ci NAME --digest sha256:HEX [--digest ...] --status started|succeeded|failed|rolled_back
#                         [--change N] [--commit SHA] [--started-at ISO8601] [--triggered-by WHO]
#
# Environment: CHANGE_PORTAL_URL (https://changes.example.com), CHANGE_PORTAL_TOKEN (a token with
# the deployments:write scope), PIPELINE_RUN_URL (this run's address), PIPELINE_STEP (optional: the
# job or step, when one run deploys more than once).
#
# Exit codes: 0 allowed (check) or recorded as authorized (report); 1 denied (check) or recorded as
# unauthorized (report); 2 wrong usage; 3 the portal could not be asked or refused the request.

set -u

die() { echo "change-gate: $2" >&2; exit "$1"; }

# Control characters are refused rather than guessed at (checked here, not inside $(...), where exit would not stop the script).
no_cntrl() { case "$1" in *[[:cntrl:]]*) die 2 "control characters in \"$1\"" ;; esac; }
# A JSON string: backslashes and quotes escaped.
json_str() { printf '"%s"' "$(printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g')"; }

command=${1:-}
[ $# -gt 0 ] && shift
case "$command" in check|report) ;; *) die 2 "usage: change-gate.sh check|report --env ENV --ci NAME --digest sha256:HEX ..." ;; esac

env_name='' cis='' digests='' change='' status='' commit='' started_at='' triggered_by=''
while [ $# -gt 0 ]; do
  [ $# -ge 2 ] || die 2 "$1 needs a value"
  no_cntrl "$2"
  case "$1" in
    --env) env_name=$2 ;;
    --ci) cis="$cis${cis:+,}$(json_str "$2")" ;;
    --digest)
      printf '%s' "$2" | grep -Eq '^sha256:[0-9a-f]{64}$' || die 2 "not a sha256 digest: $2"
      digests="$digests${digests:+,}\"$2\"" ;;
    --change) change=$2 ;;
    --status) status=$2 ;;
    --commit) commit=$2 ;;
    --started-at) started_at=$2 ;;
    --triggered-by) triggered_by=$2 ;;
    *) die 2 "unknown option $1" ;;
  esac
  shift 2
done

: "${CHANGE_PORTAL_URL:?set CHANGE_PORTAL_URL to the portal's address}"
: "${CHANGE_PORTAL_TOKEN:?set CHANGE_PORTAL_TOKEN to a token with the deployments:write scope}"
: "${PIPELINE_RUN_URL:?set PIPELINE_RUN_URL to this pipeline run's address}"
no_cntrl "$CHANGE_PORTAL_URL$PIPELINE_RUN_URL${PIPELINE_STEP:-}"
[ -n "$env_name" ] || die 2 "give --env"
[ -n "$cis" ] || die 2 "give --ci"
[ -n "$digests" ] || die 2 "give --digest"

fields="\"environment\":$(json_str "$env_name"),\"digests\":[$digests],\"pipelineRunUrl\":$(json_str "$PIPELINE_RUN_URL"),\"pipelineStep\":$(json_str "${PIPELINE_STEP:-}")"
[ -n "$change" ] && fields="$fields,\"changeNumber\":$(json_str "$change")"
if [ "$command" = check ]; then
  path=/api/v1/deployments/check
  body="{$fields,\"cis\":[$cis]}"
else
  case "$cis" in *,*) die 2 "report one --ci per deployment" ;; esac
  [ -n "$status" ] || die 2 "give --status started, succeeded, failed or rolled_back"
  path=/api/v1/deployments
  fields="$fields,\"ci\":$cis,\"status\":$(json_str "$status")"
  [ -n "$commit" ] && fields="$fields,\"commitSha\":$(json_str "$commit")"
  [ -n "$started_at" ] && fields="$fields,\"startedAt\":$(json_str "$started_at")"
  [ -n "$triggered_by" ] && fields="$fields,\"triggeredBy\":$(json_str "$triggered_by")"
  body="{$fields}"
fi

work=$(mktemp -d) || die 3 "cannot make a temporary folder"
trap 'rm -rf "$work"' EXIT
# The token goes to curl in a file, not on its command line, where other processes could read it.
umask 077
printf 'Authorization: Bearer %s\n' "$CHANGE_PORTAL_TOKEN" > "$work/auth"
printf '%s' "$body" > "$work/body"

code=$(curl -sS --max-time 30 --retry 2 --retry-connrefused -o "$work/answer" -D "$work/headers" -w '%{http_code}' \
  -H @"$work/auth" -H 'Content-Type: application/json' --data-binary @"$work/body" \
  "${CHANGE_PORTAL_URL%/}$path") || die 3 "could not reach $CHANGE_PORTAL_URL"
answer=$(cat "$work/answer")
summary=$(printf '%s' "$answer" | sed -n 's/.*"summary":"\([^"]*\(\\"[^"]*\)*\)".*/\1/p')
reasons=$(printf '%s' "$answer" | grep -o '"code":"[a-z_]*"' | sed 's/"code":"\(.*\)"/\1/' | tr '\n' ' ')

if [ "$code" != 200 ]; then
  echo "change-gate: the portal answered $code: $answer" >&2
  exit 3
fi
if [ "$command" = check ]; then
  decision=$(tr -d '\r' < "$work/headers" | sed -n 's/^[Gg][Aa][Tt][Ee]-[Dd][Ee][Cc][Ii][Ss][Ii][Oo][Nn]: *//p')
  echo "change-gate: $summary"
  [ "$decision" = allow ] && exit 0
  echo "change-gate: denied (${reasons% })" >&2
  exit 1
fi
case "$answer" in
  *'"authorized":true'*) echo "change-gate: recorded, authorized"; exit 0 ;;
  *) echo "change-gate: recorded as UNAUTHORIZED (${reasons% }); change managers and security reviewers have been told" >&2; exit 1 ;;
esac
