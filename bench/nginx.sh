# Sourced by the benchmarks: an nginx configuration for needsmap servers on this machine, and nginx
# started in the foreground with everything it writes under one directory.
#   nginx_config DIR PORT WORKERS UPSTREAM...   print the configuration (UPSTREAM: 127.0.0.1:PORT)
#   nginx_start DIR PORT UPSTREAM...            write DIR/nginx.conf, start nginx, wait until a
#                                               request through it reaches a server; sets nginx_pid
# The same shape as tests/lib/cluster.mjs: round-robin, keepalive to the servers, no retry of a
# POST that reached a server (proxy_next_upstream without non_idempotent). No access log: a
# benchmark measures needsmap, and a deployment keeps none for these paths (docs/deploy.md).

nginx_bin=${NEEDSMAP_NGINX:-/usr/sbin/nginx}

nginx_config() {
  local dir=$1 port=$2 workers=$3
  shift 3
  # As root, the workers would run as nobody and could not use the temporary directories in DIR.
  if [ "$(id -u)" -eq 0 ]; then echo "user root;"; fi
  cat <<EOF
worker_processes $workers;
pid "$dir/nginx.pid";
error_log "$dir/error.log" warn;
events { worker_connections 4096; }
http {
  client_body_temp_path "$dir/temp/body";
  proxy_temp_path "$dir/temp/proxy";
  fastcgi_temp_path "$dir/temp/fastcgi";
  uwsgi_temp_path "$dir/temp/uwsgi";
  scgi_temp_path "$dir/temp/scgi";
  access_log off;
  upstream needsmap {
$(for u in "$@"; do echo "    server $u;"; done)
    keepalive 64;
  }
  server {
    listen 127.0.0.1:$port;
    client_max_body_size 256k;
    location / {
      proxy_pass http://needsmap;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
      proxy_set_header X-Real-IP \$remote_addr;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_next_upstream error timeout;
    }
  }
}
EOF
}

nginx_start() {
  local dir=$1 port=$2
  shift 2
  [ -x "$nginx_bin" ] || { echo "no $nginx_bin: apt-get install nginx-light" >&2; return 1; }
  mkdir -p "$dir"/temp/{body,proxy,fastcgi,uwsgi,scgi}
  nginx_config "$dir" "$port" auto "$@" >"$dir/nginx.conf"
  "$nginx_bin" -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" -g 'daemon off;' >>"$dir/error.log" 2>&1 &
  nginx_pid=$!
  for _ in $(seq 100); do
    if curl -sf -o /dev/null "http://127.0.0.1:$port/healthz"; then return 0; fi
    kill -0 "$nginx_pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "nginx did not start:" >&2
  cat "$dir/error.log" >&2
  return 1
}
