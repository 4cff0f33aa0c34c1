-- Sample data for the compose stack's sample-postgres (database "shop"): run once by the postgres image
-- on its first start (/docker-entrypoint-initdb.d). Small on purpose: a first snapshot takes a second.

create table customers (
  id bigint primary key,
  name text not null,
  email text not null unique,
  balance numeric(12, 2) not null default 0,
  profile jsonb not null default '{}',
  created_at timestamptz not null default now()
);

insert into customers (id, name, email, balance, profile)
select g, 'Customer ' || g, 'customer' || g || '@example.com', (g * 37 % 10000) / 3.0,
       jsonb_build_object('tier', (array['bronze', 'silver', 'gold'])[1 + g % 3])
from generate_series(1, 500) g;

create table orders (
  id bigint primary key,
  customer_id bigint not null references customers (id),
  total numeric(12, 2) not null,
  placed_at timestamptz not null
);

insert into orders (id, customer_id, total, placed_at)
select g, 1 + g % 500, (g * 13 % 50000) / 100.0, timestamptz '2026-01-01 00:00:00+00' + g * interval '17 minutes'
from generate_series(1, 2000) g;

create index orders_customer on orders (customer_id);

create view gold_customers as
select id, name, email from customers where profile ->> 'tier' = 'gold';
