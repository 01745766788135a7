# compose.yaml's replacement for deploy/varnish/backends.vcl (mounted over it): the two replicas by service name, and
# purges from the compose network only (its subnet is fixed in compose.yaml). Keep in step with deploy/varnish/backends.vcl.

probe klartext_ready {
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
    .host = "klartext-1";
    .port = "3000";
    .probe = klartext_ready;
    .connect_timeout = 1s;
    .first_byte_timeout = 30s;
    .between_bytes_timeout = 10s;
}

backend klartext2 {
    .host = "klartext-2";
    .port = "3000";
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

# the replicas send PURGE (KLARTEXT_PURGE_URL=http://varnish/) from the compose network
# but not the network's gateway: a proxy on the host passing PURGE through would let anyone purge
acl purgers {
    ! "172.28.0.1";
    "172.28.0.0"/24;
}

# TLS ends in front of the published port 80 on the host, which reaches Varnish through Docker's proxy
acl tls_terminators {
    "127.0.0.1";
}
