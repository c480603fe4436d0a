# Sourced by the benchmarks that use the administration, with $bin set: makes a temporary $dir
# (removed on exit, with the server stopped first) and defines start_and_sign_in, which starts the
# server on a free port and signs in as a new user of the bench municipality, as a browser does
# (the login form's CSRF token and cookie, then the form), setting $server (its pid), $base, $jar.
command -v curl >/dev/null || { echo "the benchmarks of the administration need curl"; exit 1; }
dir=$(mktemp -d)
server=
cleanup() {
  [ -z "$server" ] || { kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true; }
  rm -rf "$dir"
}
trap cleanup EXIT

start_and_sign_in() {  # start_and_sign_in DATABASE ROLE
  local password status
  password=$(head -c 18 /dev/urandom | base64)
  echo "$password" | "$bin" user add --db "$1" --email bench@bench.example --role "$2" \
    --municipality "${bench_municipality:-bench}" >/dev/null
  "$bin" serve --db "$1" --port 0 >"$dir/server.log" 2>&1 &
  server=$!
  base=
  for _ in $(seq 100); do
    base=$(grep -o 'http://127.0.0.1:[0-9]*' "$dir/server.log" | head -1 || true)
    [ -n "$base" ] && break
    sleep 0.1
  done
  [ -n "$base" ] || { cat "$dir/server.log"; exit 1; }
  jar="$dir/cookies"
  local csrf
  csrf=$(curl -s -c "$jar" -b "$jar" "$base/admin/login" | grep -o 'name="_csrf" value="[^"]*"' |
    head -1 | sed 's/.*value="//; s/"$//')
  status=$(curl -s -o /dev/null -w '%{http_code}' -c "$jar" -b "$jar" --data-urlencode "_csrf=$csrf" \
    --data-urlencode "email=bench@bench.example" --data-urlencode "password=$password" \
    "$base/admin/login")
  [ "$status" = 303 ] || { echo "cannot sign in ($status)"; exit 1; }
}
