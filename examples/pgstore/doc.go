// Package pgstore implements connectkit's stores on PostgreSQL with pgx:
// account.Store, links.Store and relink.Store. It is both the proof that
// their contracts hold on a real database (its tests run each package's
// exported conformance suite, with the concurrency clauses over a pool of
// separate connections and two independent pools racing as two replicas)
// and a template for writing an adapter of your own.
//
// It lives in a nested module so that importing connectkit never pulls in
// a database driver.
//
// Every write is one conditional SQL statement — an expected version, a
// link that is still unused, no open relink request inside the window — so
// replicas that race on one row cannot both win. The two exceptions are the
// writes the contracts define as transactions: account.Store.Transfer (two
// conditional UPDATEs, so money moves whole or not at all) and replacing an
// expired remediation link with a new one. Link tokens are stored
// only as the hashes the library hands over; the raw token never reaches
// the database.
//
// Errors map to the library's sentinels exactly as the in-memory stores
// return them (errors.Is(err, account.ErrConflict) and so on). A lost
// connection or a cancelled context is returned as such, wrapped, and never
// as a false "not found" or "already used".
//
// The stores are safe for concurrent use; their zero values are not usable:
// build them with the constructors from a *pgxpool.Pool whose search_path
// holds the tables that Migrate creates.
package pgstore
