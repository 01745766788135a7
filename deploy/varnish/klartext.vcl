# Klartext behind Varnish 7.1 with xkey (Debian: varnish, varnish-modules): guest pages cached, purged by surrogate key.
# Deployment-specific parts (backends, their probe, who may purge, TLS terminators) are in backends.vcl beside this file.
# Why each rule is here: docs/decisions/023-varnish-in-front.md. Tested against real Varnish: tests/varnish.test.ts.
vcl 4.1;

import std;
import directors;
import proxy;
import xkey;

# Defines: probe klartext_ready, the backends, the `klartext` director (sub vcl_init), acl purgers, acl tls_terminators.
include "./backends.vcl";

sub vcl_recv {
    set req.backend_hint = klartext.backend();

    # PURGE from Klartext's purge hook (KLARTEXT_PURGE_URL): the changed surrogate keys, space-separated, in xkey-purge.
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "xkey-purge header missing"));
        }
        # A hard purge: a changed page must not be served again, not even once from grace.
        set req.http.x-purged = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Purged " + req.http.x-purged));
    }

    # The scheme counts only when Varnish knows it (PROXY protocol from a TLS terminator such as hitch) or a listed
    # TLS terminator said it; anything a client wrote is dropped. X-Forwarded-For: Varnish appends client.ip itself.
    if (proxy.is_ssl()) {
        set req.http.X-Forwarded-Proto = "https";
    } elsif (client.ip !~ tls_terminators) {
        unset req.http.X-Forwarded-Proto;
    }

    if (req.method != "GET" && req.method != "HEAD") {
        # POST (forms, the unlock endpoint), PUT, DELETE …: never looked up, never stored.
        return (pass);
    }

    # Operations endpoints: per process, never shared.
    if (req.url ~ "^/(metrics|livez|readyz|healthz)(\?|$)") {
        return (pass);
    }

    # The private paths of src/web/platform/private-paths.ts (sessions, CSRF, the unlock endpoint, the no-JS reading
    # page, gift forms); tests/varnish-config.test.ts checks this list against that file.
    if (req.url ~ "^/(konto|anmelden|registrieren|passwort-vergessen|abmelden|api|suche|abo/bestellen|abo/danke|abo/einloesen|kuendigen|verlag|redaktion)(/|\?|$)"
        || req.url ~ "^/artikel/[^/?]+/(klartext|verschenken)/?(\?|$)") {
        return (pass);
    }
    # A path spelled unusually (percent-encoded, doubled or dotted segments) might name a private page once decoded:
    # such requests go to Klartext uncached rather than being guessed at here.
    if (req.url ~ "^[^?]*(%|//|/\.)") {
        return (pass);
    }

    # A logged-in reader (or anyone sending credentials) goes to Klartext, whose own page cache answers public pages.
    if (req.http.Cookie ~ "(^|;)\s*klartext_session=" || req.http.Authorization) {
        return (pass);
    }

    # A claimed search crawler is checked by Klartext (reverse DNS); a verified one gets the text on a private answer.
    # Served from here it would get the guest page, so it is passed (and what it gets is never stored: private).
    if (req.http.User-Agent ~ "(?i)\b(googlebot|bingbot)\b") {
        return (pass);
    }

    # Public pages read no cookie: dropping them lets every guest share one object (analytics or CSRF cookies included).
    unset req.http.Cookie;
    # Tracking parameters do not change a page; the rest are sorted so ?a=1&b=2 and ?b=2&a=1 share one object.
    set req.url = regsuball(req.url, "([?&])(utm_[a-z]+|fbclid|gclid|mc_eid)=[^&]*", "\1");
    set req.url = regsub(req.url, "[?&]+$", "");
    set req.url = std.querysort(req.url);

    # One object per encoding Klartext offers (it answers Vary: Accept-Encoding): brotli for browsers, gzip, none.
    # Run varnishd with -p http_gzip_support=off so Varnish passes this on instead of asking for gzip and unzipping it
    # for every client without gzip; with the default (on) "br, gzip" still gets gzip and everything works, only slower.
    if (req.http.Accept-Encoding ~ "(?i)\bbr\b") {
        set req.http.Accept-Encoding = "br, gzip";
    } elsif (req.http.Accept-Encoding ~ "(?i)\bgzip\b") {
        set req.http.Accept-Encoding = "gzip";
    } else {
        unset req.http.Accept-Encoding;
    }

    # Grace: while Klartext is healthy a stale page is served for at most 10 s while it is fetched again in the
    # background; while every backend is sick, whatever grace the object has left (a day, see vcl_backend_response).
    if (std.healthy(req.backend_hint)) {
        set req.grace = 10s;
    }
    return (hash);
}

sub vcl_backend_response {
    # The page's surrogate keys (article:<id>, front, section:<slug>, nav, …) index the object for xkey.purge.
    if (beresp.http.Surrogate-Key) {
        set beresp.http.xkey = beresp.http.Surrogate-Key;
    }
    if (bereq.uncacheable) {
        return (deliver);
    }
    # Only answers that say they may be shared are stored: a Set-Cookie, private, no-store, no-cache or no
    # Cache-Control at all makes the object a hit-for-miss (the next request asks Klartext again, nothing is kept).
    if (beresp.http.Set-Cookie
        || !beresp.http.Cache-Control
        || beresp.http.Cache-Control ~ "(?i)(private|no-store|no-cache)"
        || beresp.http.Vary == "*") {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    # The lifetime comes from s-maxage (300 s); purges make pages current before that. Kept a day beyond it so a
    # down Klartext still has pages to serve (req.grace decides when they may be used).
    set beresp.grace = 24h;
    return (deliver);
}

sub vcl_deliver {
    unset resp.http.xkey;
    # What Varnish did (Klartext's own x-cache says what its page cache did, and is replaced here).
    if (obj.uncacheable) {
        set resp.http.X-Cache = "PASS";
    } elsif (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}

sub vcl_backend_error {
    # No Klartext answered and no page was left in grace: a short German page, never stored.
    set beresp.http.Content-Type = "text/html; charset=utf-8";
    set beresp.http.Cache-Control = "no-store";
    set beresp.http.Retry-After = "5";
    set beresp.ttl = 0s;
    synthetic({"<!doctype html><html lang="de"><meta charset="utf-8"><title>Gerade nicht erreichbar</title><h1>Gerade nicht erreichbar</h1><p>Die Seite ist im Moment nicht erreichbar. Bitte versuchen Sie es in einigen Sekunden noch einmal.</p></html>"});
    return (deliver);
}
