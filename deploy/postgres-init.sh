#!/bin/sh
# First start of the PostgreSQL container: one role and database for the application, one role with
# the two databases Temporal needs.
set -eu
psql -v ON_ERROR_STOP=1 -U postgres <<SQL
CREATE ROLE omsorgspakken LOGIN PASSWORD '${OMSORG_DB_PASSWORD}';
CREATE DATABASE omsorgspakken OWNER omsorgspakken;
CREATE ROLE temporal LOGIN PASSWORD '${TEMPORAL_DB_PASSWORD}';
CREATE DATABASE temporal OWNER temporal;
CREATE DATABASE temporal_visibility OWNER temporal;
SQL
