package io.databasement.bench;

import java.util.List;

/**
 * The databases the benchmark measures, generated reproducibly on the machine's servers (seeded random
 * values) and kept between runs: a database whose comment (PostgreSQL) or marker table (MariaDB) names the
 * same specification is reused, anything else of that name is dropped and generated again.
 */
final class Workloads {

    /** Bytes of database per unit of the scale (one order row and its share of the other tables), measured. */
    static final long PG_BYTES_PER_UNIT = 380;
    static final long MARIADB_BYTES_PER_UNIT = 420;

    private final Shell shell;

    Workloads(Shell shell) {
        this.shell = shell;
    }

    /** W1 (and W3): customers, orders, events (jsonb), documents (bytea), with their indexes. */
    void realisticPostgres(String database, long targetBytes) {
        long units = Math.max(1000, targetBytes / PG_BYTES_PER_UNIT);
        String spec = "realistic-v1 units=" + units;
        if (pgReuse(database, spec)) {
            return;
        }
        psql(database, """
                select setseed(0.42);
                create table customers (id bigint primary key, name text not null, email text not null,
                  balance numeric(12,2) not null, profile jsonb not null, created_at timestamptz not null);
                insert into customers select g, 'Customer ' || g, 'customer' || g || '@example.com',
                  round((random() * 100000)::numeric, 2),
                  jsonb_build_object('tier', (array['bronze','silver','gold','platinum'])[1 + (random() * 3)::int],
                                     'newsletter', random() < 0.4, 'tags', jsonb_build_array('t' || g %% 17, 't' || g %% 29)),
                  timestamptz '2020-01-01' + random() * interval '1500 days'
                from generate_series(1, %1$d / 10) g;
                create table orders (id bigint primary key, customer_id bigint not null references customers(id),
                  status text not null, total numeric(12,2) not null, quantity int not null, note text,
                  placed_at timestamptz not null);
                insert into orders select g, 1 + (random() * (%1$d / 10 - 1))::bigint,
                  (array['new','paid','shipped','delivered','returned'])[1 + (random() * 4)::int],
                  round((random() * 2000)::numeric, 2), 1 + (random() * 9)::int,
                  case when random() < 0.7 then (array['leave at the door','gift wrap please','call before delivery',
                    'fragile','second floor, blue door','no plastic'])[1 + (random() * 5)::int] || ' #' || md5(random()::text)
                  end,
                  timestamptz '2021-01-01' + random() * interval '1000 days'
                from generate_series(1, %1$d) g;
                create index orders_customer on orders (customer_id);
                create index orders_placed on orders (placed_at);
                create table events (id bigint primary key, kind text not null, payload jsonb not null,
                  occurred_at timestamptz not null);
                insert into events select g, (array['click','view','cart','checkout','search'])[1 + (random() * 4)::int],
                  jsonb_build_object('session', md5(random()::text), 'path', '/product/' || (random() * 5000)::int,
                    'ms', (random() * 900)::int, 'ua', (array['firefox','chrome','safari','curl'])[1 + (random() * 3)::int]),
                  timestamptz '2023-01-01' + random() * interval '365 days'
                from generate_series(1, %1$d / 2) g;
                create index events_kind_time on events (kind, occurred_at);
                create table documents (id bigint primary key, customer_id bigint references customers(id),
                  title text not null, body bytea not null);
                insert into documents select g, 1 + (random() * (%1$d / 10 - 1))::bigint, 'Invoice ' || g,
                  decode(repeat(md5(random()::text), 8 + (random() * 40)::int), 'hex')
                from generate_series(1, %1$d / 100) g;
                create view big_spenders as select customer_id, sum(total) from orders group by customer_id having sum(total) > 10000;
                analyze;
                """.formatted(units));
        pgMark(database, spec);
    }

    /** W4: many small tables (fixed costs per table: catalog queries, COPY headers, statistics). */
    void manyTablesPostgres(String database, int tables) {
        String spec = "many-tables-v1 tables=" + tables;
        if (pgReuse(database, spec)) {
            return;
        }
        psql(database, """
                select setseed(0.42);
                do $$
                begin
                  for i in 1..%d loop
                    execute format('create table t%%s (id int primary key, label text not null, amount numeric(10,2), seen timestamptz)', i);
                    execute format('insert into t%%s select g, ''row '' || g, round((random() * 100)::numeric, 2), now() from generate_series(1, 20) g', i);
                  end loop;
                end $$;
                """.formatted(tables));
        pgMark(database, spec);
    }

    /** One table of a few rows: a job whose cost is all fixed cost (dispatch latency). */
    void tinyPostgres(String database) {
        String spec = "tiny-v1";
        if (pgReuse(database, spec)) {
            return;
        }
        psql(database, "create table t (id int primary key, v text); insert into t select g, 'v' || g from generate_series(1, 10) g;");
        pgMark(database, spec);
    }

    /**
     * A database whose restore costs time but almost no CPU: every row passes a CHECK that sleeps {@code rowMillis}
     * in the server, like a restore into a remote server behind a slow link. The scale-out measurement uses it
     * because this machine's 2 cores cannot show 4 CPU-bound restores in parallel.
     */
    void pacedPostgres(String database, int rows, int rowMillis) {
        String spec = "paced-v2 rows=" + rows + " ms=" + rowMillis;
        if (pgReuse(database, spec)) {
            return;
        }
        psql(database, """
                create function bench_pace(v int) returns boolean language plpgsql as
                  $$ begin perform pg_sleep(%2$d / 1000.0); return true; end $$;
                create table paced (id int primary key, v int not null check (bench_pace(v)));
                insert into paced select g, g from generate_series(1, %1$d) g;
                """.formatted(rows, rowMillis));
        pgMark(database, spec);
    }

    /** W1m: the same shape in MariaDB (InnoDB), from the SEQUENCE engine's seq_1_to_N tables. */
    void realisticMariaDb(String database, long targetBytes) {
        long units = Math.max(1000, targetBytes / MARIADB_BYTES_PER_UNIT);
        String spec = "realistic-v1 units=" + units;
        String have = shell.runOrEmpty(mariadb(null, "-N", "-e", "select spec from `" + database + "`.bench_spec")).strip();
        if (have.equals(spec)) {
            return;
        }
        shell.run(mariadb(null, "-e", "drop database if exists `" + database + "`; create database `" + database + "`"));
        shell.run(mariadb(database), """
                set @@session.rand_seed1 = 42, @@session.rand_seed2 = 4242;
                create table customers (id bigint primary key, name varchar(100) not null, email varchar(200) not null,
                  balance decimal(12,2) not null, profile json not null, created_at datetime(6) not null) engine=InnoDB;
                insert into customers select seq, concat('Customer ', seq), concat('customer', seq, '@example.com'),
                  round(rand() * 100000, 2),
                  json_object('tier', elt(1 + floor(rand() * 4), 'bronze','silver','gold','platinum'),
                              'newsletter', rand() < 0.4, 'tags', json_array(concat('t', seq %% 17), concat('t', seq %% 29))),
                  timestamp '2020-01-01 00:00:00' + interval floor(rand() * 1500 * 86400) second
                from seq_1_to_%2$d;
                create table orders (id bigint primary key, customer_id bigint not null, status varchar(20) not null,
                  total decimal(12,2) not null, quantity int not null, note text, placed_at datetime(6) not null,
                  key orders_customer (customer_id), key orders_placed (placed_at),
                  constraint orders_customer_fk foreign key (customer_id) references customers (id)) engine=InnoDB;
                insert into orders select seq, 1 + floor(rand() * (%2$d - 1)),
                  elt(1 + floor(rand() * 5), 'new','paid','shipped','delivered','returned'),
                  round(rand() * 2000, 2), 1 + floor(rand() * 9),
                  if(rand() < 0.7, concat(elt(1 + floor(rand() * 6), 'leave at the door','gift wrap please',
                    'call before delivery','fragile','second floor, blue door','no plastic'), ' #', md5(rand())), null),
                  timestamp '2021-01-01 00:00:00' + interval floor(rand() * 1000 * 86400) second
                from seq_1_to_%1$d;
                create table events (id bigint primary key, kind varchar(20) not null, payload json not null,
                  occurred_at datetime(6) not null, key events_kind_time (kind, occurred_at)) engine=InnoDB;
                insert into events select seq, elt(1 + floor(rand() * 5), 'click','view','cart','checkout','search'),
                  json_object('session', md5(rand()), 'path', concat('/product/', floor(rand() * 5000)),
                    'ms', floor(rand() * 900), 'ua', elt(1 + floor(rand() * 4), 'firefox','chrome','safari','curl')),
                  timestamp '2023-01-01 00:00:00' + interval floor(rand() * 365 * 86400) second
                from seq_1_to_%3$d;
                create table documents (id bigint primary key, customer_id bigint, title varchar(100) not null,
                  body longblob not null) engine=InnoDB;
                insert into documents select seq, 1 + floor(rand() * (%2$d - 1)), concat('Invoice ', seq),
                  unhex(repeat(md5(rand()), 8 + floor(rand() * 40)))
                from seq_1_to_%4$d;
                create table bench_spec (spec varchar(200) not null);
                """.formatted(units, units / 10, units / 2, Math.max(1, units / 100)));
        shell.run(mariadb(database), "insert into bench_spec values ('" + spec + "');");
    }

    long postgresSize(String database) {
        return Long.parseLong(shell.run(List.of("psql", "-X", "-At", "-d", "postgres", "-c",
                "select pg_database_size(" + literal(database) + ")")).strip());
    }

    long mariaDbSize(String database) {
        return Long.parseLong(shell.run(mariadb(null, "-N", "-e",
                "select coalesce(sum(data_length + index_length), 0) from information_schema.tables where table_schema = "
                        + literal(database))).strip());
    }

    void dropPostgres(String database) {
        shell.run(List.of("psql", "-X", "-q", "-d", "postgres", "-c", "drop database if exists \"" + database + "\" with (force)"));
    }

    void dropMariaDb(String database) {
        shell.run(mariadb(null, "-e", "drop database if exists `" + database + "`"));
    }

    private boolean pgReuse(String database, String spec) {
        String have = shell.run(List.of("psql", "-X", "-At", "-d", "postgres", "-c",
                "select shobj_description(oid, 'pg_database') from pg_database where datname = " + literal(database))).strip();
        if (have.equals("bench " + spec)) {
            return true;
        }
        dropPostgres(database);
        shell.run(List.of("psql", "-X", "-q", "-d", "postgres", "-c", "create database \"" + database + "\""));
        return false;
    }

    private void pgMark(String database, String spec) {
        psql("postgres", "comment on database \"" + database + "\" is " + literal("bench " + spec));
    }

    private void psql(String database, String sql) {
        shell.run(List.of("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", database), sql);
    }

    static List<String> mariadb(String database, String... more) {
        List<String> cmd = new java.util.ArrayList<>(List.of("mariadb", "--protocol=tcp", "-h", "127.0.0.1", "-P", "3306", "-u", "root"));
        cmd.addAll(List.of(more));
        if (database != null) {
            cmd.add(database);
        }
        return cmd;
    }

    /** Names here are the benchmark's own constants; still quoted as SQL literals. */
    static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }
}
