# Deployment-specific part of klartext.vcl: the Klartext processes behind Varnish, their readiness probe, who may purge.
# One `backend` per Klartext process (or host), each added to the round-robin director below; a sick one (its
# /readyz failing 3 of 5 probes) gets no requests until it is ready again. Edit this file for your setup.

probe klartext_ready {
    # /readyz: 200 when the database answers, migrations are current and the process is not draining (SIGTERM).
    .request = "GET /readyz HTTP/1.1"
               "Host: localhost"
               "User-Agent: varnish-probe"
               "Connection: close";
    .expected_response = 200;
    .interval = 2s;
    .timeout = 1s;
    .window = 5;
    .threshold = 3;
    .initial = 3;
}

backend klartext1 {
    .host = "127.0.0.1";
    .port = "3001";
    .probe = klartext_ready;
    .connect_timeout = 1s;
    .first_byte_timeout = 30s;
    .between_bytes_timeout = 10s;
}

backend klartext2 {
    .host = "127.0.0.1";
    .port = "3002";
    .probe = klartext_ready;
    .connect_timeout = 1s;
    .first_byte_timeout = 30s;
    .between_bytes_timeout = 10s;
}

sub vcl_init {
    new klartext = directors.round_robin();
    klartext.add_backend(klartext1);
    klartext.add_backend(klartext2);
}

# Where PURGE may come from: the hosts the Klartext processes run on (their KLARTEXT_PURGE_URL points here).
acl purgers {
    "127.0.0.1";
    "::1";
}

# Who may tell Varnish the scheme in X-Forwarded-Proto: a TLS terminator in front that does not speak the PROXY protocol.
acl tls_terminators {
    "127.0.0.1";
    "::1";
}
