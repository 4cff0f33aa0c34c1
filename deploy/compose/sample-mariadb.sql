-- Sample data for the compose stack's sample-mariadb (database "shop"): run once by the mariadb image on
-- its first start (/docker-entrypoint-initdb.d). Small on purpose: a first snapshot takes a second.

USE shop;

CREATE TABLE customers (
  id BIGINT PRIMARY KEY,
  name VARCHAR(100) NOT NULL,
  email VARCHAR(200) NOT NULL UNIQUE,
  balance DECIMAL(12, 2) NOT NULL DEFAULT 0,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

INSERT INTO customers (id, name, email, balance)
SELECT seq, CONCAT('Customer ', seq), CONCAT('customer', seq, '@example.com'), (seq * 37 % 10000) / 3
FROM seq_1_to_500;

CREATE TABLE orders (
  id BIGINT PRIMARY KEY,
  customer_id BIGINT NOT NULL,
  total DECIMAL(12, 2) NOT NULL,
  placed_at DATETIME NOT NULL,
  KEY orders_customer (customer_id),
  CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

INSERT INTO orders (id, customer_id, total, placed_at)
SELECT seq, 1 + seq % 500, (seq * 13 % 50000) / 100, TIMESTAMP '2026-01-01 00:00:00' + INTERVAL (seq * 17) MINUTE
FROM seq_1_to_2000;

CREATE VIEW big_spenders AS
SELECT c.id, c.name, SUM(o.total) AS spent
FROM customers c JOIN orders o ON o.customer_id = c.id
GROUP BY c.id, c.name
HAVING SUM(o.total) > 500;
