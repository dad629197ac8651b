# asuser.sh PROGRAM [ARG...]: runs PROGRAM as the unprivileged user nobody
# when run as root (root reads a mode-000 file anyway, and CI runs as root),
# with setpriv or else runuser; as anyone else it runs PROGRAM as is.
[ "$(id -u)" = 0 ] || exec "$@"
uid=$(id -u nobody) && gid=$(id -g nobody) || exit 125
if command -v setpriv >/dev/null 2>&1; then
	exec setpriv --reuid="$uid" --regid="$gid" --clear-groups "$@"
elif command -v runuser >/dev/null 2>&1; then
	exec runuser -u nobody -- "$@"
fi
echo "asuser.sh: neither setpriv nor runuser" >&2
exit 125
