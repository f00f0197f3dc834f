#!/usr/bin/env bash
# Prints a private Dovecot config for scripts/stack.sh (see shared notes: dovecot-on-loopback).
# Usage: dovecot-conf.sh <state dir> <port> <no-move: 0|1>
set -euo pipefail
DIR="$1" PORT="$2" NO_MOVE="${3:-0}"
cat <<CONF
base_dir = $DIR/run
state_dir = $DIR/state
log_path = $DIR/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = 1
mail_location = maildir:$DIR/mail/%u
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $DIR/users
}
userdb {
  driver = static
  args = uid=dovecot gid=dovecot home=$DIR/mail/%u
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = $PORT
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
protocol imap {
  # tests open many short connections as one user from one address
  mail_max_userip_connections = 200
}
CONF
if [ "$NO_MOVE" = 1 ]; then
  # Post-login capabilities without MOVE, UIDPLUS, CONDSTORE, QRESYNC: the service's fallback path.
  echo 'imap_capability = IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE SORT SORT=DISPLAY THREAD=REFERENCES THREAD=REFS THREAD=ORDEREDSUBJECT MULTIAPPEND UNSELECT CHILDREN NAMESPACE LIST-EXTENDED I18NLEVEL=1 ESEARCH ESORT SEARCHRES WITHIN CONTEXT=SEARCH LIST-STATUS BINARY LITERAL+ SPECIAL-USE'
fi
