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

# PostgreSQL from Debian packages, started without systemd, with logical decoding (CDC) and a password for TCP.
ensure_postgres() {
  if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
    apt_install postgresql
  fi
  local version
  version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
  if [ ! -d "/etc/postgresql/$version/main" ]; then
    log "creating PostgreSQL $version cluster 'main'"
    as_root pg_createcluster "$version" main >/dev/null
  fi
  if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" {print $4}' | grep -q online; then
    log "starting PostgreSQL $version"
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start
  fi
  local wal_level
  wal_level=$(as_root runuser -u postgres -- psql -tAc 'SHOW wal_level')
  if [ "$wal_level" != "logical" ]; then
    log "setting wal_level = logical and restarting PostgreSQL $version"
    as_root runuser -u postgres -- psql -qc 'ALTER SYSTEM SET wal_level = logical'
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" main restart
  fi
  as_root runuser -u postgres -- psql -qc "ALTER USER postgres WITH PASSWORD 'postgres'"
  wait_for "PostgreSQL on 127.0.0.1:5432" pg_isready -q -h 127.0.0.1 -p 5432
}

# MariaDB from Debian packages, with a 'courier' user (password 'courier') that may create test databases.
ensure_mariadb() {
  if ! command -v mariadbd >/dev/null 2>&1 && [ ! -x /usr/sbin/mariadbd ]; then
    apt_install mariadb-server
  fi
  if ! as_root mariadb-admin ping --silent >/dev/null 2>&1; then
    log "starting MariaDB"
    as_root mkdir -p /run/mysqld
    as_root chown mysql:mysql /run/mysqld
    as_root start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --user=mysql
    wait_for "MariaDB" as_root mariadb-admin ping --silent
  fi
  as_root mariadb -e "
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
