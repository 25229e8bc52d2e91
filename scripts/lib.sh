# Shared functions of ./courier: finding a JDK and setting up the local services, idempotently.
# Needs root (or sudo) only for what is missing: installing packages, starting servers.

log() { printf '\033[1m[courier]\033[0m %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

apt_install() {
  log "installing $* (Debian packages)"
  if [ -z "${COURIER_APT_UPDATED:-}" ]; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    COURIER_APT_UPDATED=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

java_major() {
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}'
}

# Exports JAVA_HOME pointing at a JDK >= 21: JAVA_HOME if it qualifies, else the newest under /usr/lib/jvm.
ensure_java() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && [ "$(java_major "$JAVA_HOME/bin/java")" -ge 21 ]; then
    return
  fi
  local best="" best_major=0 candidate major
  for candidate in /usr/lib/jvm/*/bin/javac; do
    [ -x "$candidate" ] || continue
    major=$(java_major "${candidate%c}")
    if [ -n "$major" ] && [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then
      best="${candidate%/bin/javac}"
      best_major=$major
    fi
  done
  if [ -z "$best" ]; then
    log "no JDK >= 21 found under /usr/lib/jvm; install one (e.g. Temurin 21 or 25) or set JAVA_HOME"
    exit 1
  fi
  export JAVA_HOME="$best"
  log "using JDK $best_major at $JAVA_HOME"
}

# Node.js 18 or newer with npm: the build of web-console (the consoles' pages) runs npm ci, tsc and esbuild.
ensure_node() {
  local major=0
  if command -v node >/dev/null 2>&1; then
    major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
  fi
  if [ "$major" -lt 18 ] || ! command -v npm >/dev/null 2>&1; then
    apt_install nodejs npm
  fi
}

# Debian's Chromium for the browser tests (Playwright drives it; it never downloads a browser of its own).
ensure_chromium() {
  if [ ! -x /usr/bin/chromium ]; then
    apt_install chromium
  fi
}

ensure_services() {
  ensure_postgres
  ensure_mariadb
}

# Debian's docker-compose (1.29): the tests validate docker-compose.yml with `docker-compose config`, no engine needed.
ensure_compose_validator() {
  if ! command -v docker-compose >/dev/null 2>&1; then
    apt_install docker-compose
  fi
}

# Courier runs its own database servers beside whatever the host already has, so that the host's PostgreSQL and
# MariaDB keep their settings, passwords, grants and uptime: a PostgreSQL cluster 'courier' on port 55432 and a
# MariaDB server on port 53306 with its own data directory (the test harness, LocalPostgres and DatabaseKind, expects
# these ports).
COURIER_PG_PORT=55432
COURIER_MARIADB_PORT=53306
COURIER_MARIADB_DIR=/var/lib/courier-mariadb
COURIER_MARIADB_RUN=/run/courier-mariadb

# Courier's PostgreSQL cluster (Debian's cluster tools, no systemd): logical decoding for CDC, password over TCP.
ensure_postgres() {
  if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
    apt_install postgresql
  fi
  local version
  version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
  if [ ! -d "/etc/postgresql/$version/courier" ]; then
    log "creating Courier's own PostgreSQL $version cluster 'courier' on port $COURIER_PG_PORT (other clusters are left alone)"
    as_root pg_createcluster "$version" courier --port "$COURIER_PG_PORT" >/dev/null
    as_root pg_conftool -s "$version" courier set wal_level logical
    as_root pg_conftool -s "$version" courier set max_connections 200
  fi
  if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "courier" {print $4}' | grep -q online; then
    log "starting Courier's PostgreSQL cluster on port $COURIER_PG_PORT"
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" courier start
  fi
  as_root runuser -u postgres -- psql -p "$COURIER_PG_PORT" -qc "ALTER USER postgres WITH PASSWORD 'postgres'"
  wait_for "PostgreSQL on 127.0.0.1:$COURIER_PG_PORT" pg_isready -q -h 127.0.0.1 -p "$COURIER_PG_PORT"
}

# Courier's MariaDB server, with a 'courier' user (password 'courier') that may create test databases.
ensure_mariadb() {
  if ! command -v mariadbd >/dev/null 2>&1 && [ ! -x /usr/sbin/mariadbd ]; then
    apt_install mariadb-server
  fi
  local socket="$COURIER_MARIADB_RUN/mysqld.sock"
  if [ ! -d "$COURIER_MARIADB_DIR/data/mysql" ]; then
    log "creating Courier's own MariaDB data directory $COURIER_MARIADB_DIR (port $COURIER_MARIADB_PORT; the host's MariaDB is left alone)"
    as_root mkdir -p "$COURIER_MARIADB_DIR/data"
    as_root tee "$COURIER_MARIADB_DIR/my.cnf" >/dev/null <<CNF
[mysqld]
user = mysql
datadir = $COURIER_MARIADB_DIR/data
socket = $socket
pid-file = $COURIER_MARIADB_RUN/mariadbd.pid
port = $COURIER_MARIADB_PORT
bind-address = 127.0.0.1
skip-name-resolve
character-set-server = utf8mb4
collation-server = utf8mb4_general_ci
log-error = $COURIER_MARIADB_DIR/error.log
CNF
    as_root chown -R mysql:mysql "$COURIER_MARIADB_DIR"
    as_root mariadb-install-db --defaults-file="$COURIER_MARIADB_DIR/my.cnf" >/dev/null
  fi
  if ! as_root mariadb-admin --socket="$socket" ping --silent >/dev/null 2>&1; then
    log "starting Courier's MariaDB on port $COURIER_MARIADB_PORT"
    as_root mkdir -p "$COURIER_MARIADB_RUN"
    as_root chown mysql:mysql "$COURIER_MARIADB_RUN"
    as_root start-stop-daemon --start --oknodo --background --pidfile "$COURIER_MARIADB_RUN/mariadbd.pid" \
      --exec /usr/sbin/mariadbd -- --defaults-file="$COURIER_MARIADB_DIR/my.cnf"
    wait_for "MariaDB on 127.0.0.1:$COURIER_MARIADB_PORT" as_root mariadb-admin --socket="$socket" ping --silent
  fi
  as_root mariadb --socket="$socket" -e "
    CREATE USER IF NOT EXISTS 'courier'@'localhost' IDENTIFIED BY 'courier';
    CREATE USER IF NOT EXISTS 'courier'@'127.0.0.1' IDENTIFIED BY 'courier';
    GRANT ALL PRIVILEGES ON *.* TO 'courier'@'localhost' WITH GRANT OPTION;
    GRANT ALL PRIVILEGES ON *.* TO 'courier'@'127.0.0.1' WITH GRANT OPTION;"
}

wait_for() {
  local what="$1"; shift
  for _ in $(seq 1 60); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 1
  done
  log "$what did not become ready within 60 s"
  exit 1
}
