--
-- PostgreSQL database dump
--

\restrict BAZYkq4oU98Wc0VGBeTeELc3kMV5BMZHsJd6QnyTQcMTg3MQYi2G1Cg4QwWswlS

-- Dumped from database version 15.20 (Debian 15.20-0+deb12u1)
-- Dumped by pg_dump version 15.20 (Debian 15.20-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

DROP VIEW IF EXISTS public.v;
DROP TABLE IF EXISTS public.tz;
DROP TABLE IF EXISTS public.t1;
DROP SEQUENCE IF EXISTS public.sq;
DROP TABLE IF EXISTS public.p1;
DROP TABLE IF EXISTS public.p;
DROP TABLE IF EXISTS public.nocols;
DROP TABLE IF EXISTS public.g;
DROP TABLE IF EXISTS public.empty;
DROP TABLE IF EXISTS "Odd Schema"."we""ird tåble";
DROP FUNCTION IF EXISTS public.f();
DROP SCHEMA IF EXISTS "Odd Schema";
--
-- Name: Odd Schema; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA "Odd Schema";


--
-- Name: f(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.f() RETURNS void
    LANGUAGE plpgsql
    AS $$
begin
-- a comment
COPY public.t1 (id) FROM stdin;
end $$;


SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: we"ird tåble; Type: TABLE; Schema: Odd Schema; Owner: -
--

CREATE TABLE "Odd Schema"."we""ird tåble" (
    x integer
);


--
-- Name: empty; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.empty (
    a integer
);


--
-- Name: g; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.g (
    a integer,
    b integer GENERATED ALWAYS AS ((a * 2)) STORED
);


--
-- Name: nocols; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.nocols (
);


--
-- Name: p; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.p (
    id integer,
    k integer
)
PARTITION BY RANGE (k);


--
-- Name: p1; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.p1 (
    id integer,
    k integer
);


--
-- Name: sq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.sq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: t1; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.t1 (
    id integer,
    s text,
    b bytea
);


--
-- Name: tz; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.tz (
    t timestamp with time zone,
    u text
);


--
-- Name: v; Type: VIEW; Schema: public; Owner: -
--

CREATE VIEW public.v AS
 SELECT 1 AS "?column?";


--
-- Name: p1; Type: TABLE ATTACH; Schema: public; Owner: -
--

ALTER TABLE ONLY public.p ATTACH PARTITION public.p1 FOR VALUES FROM (0) TO (10);


--
-- Data for Name: we"ird tåble; Type: TABLE DATA; Schema: Odd Schema; Owner: -
--

COPY "Odd Schema"."we""ird tåble" (x) FROM stdin;
1
2
\.


--
-- Data for Name: empty; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.empty (a) FROM stdin;
\.


--
-- Data for Name: g; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.g (a) FROM stdin;
1
\.


--
-- Data for Name: nocols; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.nocols  FROM stdin;


\.


--
-- Data for Name: p1; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.p1 (id, k) FROM stdin;
1	1
2	5
\.


--
-- Data for Name: t1; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.t1 (id, s, b) FROM stdin;
1	it's\n\ttab\\back	\\x00ff
2	\N	\N
3	\\.	\N
4	),(	\N
\.


--
-- Data for Name: tz; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.tz (t, u) FROM stdin;
2020-01-01 10:00:00+00	ünïcødé ✓ 😀
\N	\r\\N
\.


--
-- Name: sq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.sq', 5, true);


--
-- PostgreSQL database dump complete
--

\unrestrict BAZYkq4oU98Wc0VGBeTeELc3kMV5BMZHsJd6QnyTQcMTg3MQYi2G1Cg4QwWswlS

