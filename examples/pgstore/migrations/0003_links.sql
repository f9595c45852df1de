-- links.Store: account links, refresh windows, remediation links and their
-- tokens. Tokens are never stored: only their SHA-256 (token_hash), which
-- the library hands over.
CREATE TABLE account_links (
    token_hash  bytea       PRIMARY KEY CHECK (octet_length(token_hash) = 32),
    account     text        NOT NULL,
    chain       bytea       NOT NULL CHECK (octet_length(chain) = 32),
    params      jsonb       NOT NULL,
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz,
    returned_at timestamptz
);

CREATE TABLE link_refresh_windows (
    chain        bytea       PRIMARY KEY CHECK (octet_length(chain) = 32),
    window_start timestamptz NOT NULL,
    count        integer     NOT NULL CHECK (count > 0)
);

-- One current remediation link per account. Replacing an expired link
-- deletes its row, and with it (ON DELETE CASCADE) every token that
-- reached it.
CREATE TABLE remediation_links (
    account           text        PRIMARY KEY,
    id                text        NOT NULL UNIQUE CHECK (id <> ''),
    created_by        text        NOT NULL,
    created_at        timestamptz NOT NULL,
    expires_at        timestamptz NOT NULL,
    pending           text        NOT NULL,
    failures          integer     NOT NULL,
    wrong_information integer     NOT NULL,
    resets            integer     NOT NULL,
    acknowledgements  integer     NOT NULL,
    reset_credits     integer     NOT NULL,
    last_changed_by   text        NOT NULL,
    version           bigint      NOT NULL CHECK (version > 0)
);

CREATE TABLE remediation_tokens (
    token_hash bytea PRIMARY KEY CHECK (octet_length(token_hash) = 32),
    link_id    text  NOT NULL REFERENCES remediation_links (id) ON DELETE CASCADE
);

CREATE INDEX remediation_tokens_by_link ON remediation_tokens (link_id);
