-- An S3 volume may name the address operators' browsers reach the bucket at (e.g. behind a proxy), when it
-- differs from the one storage-service uses: presigned download URLs are signed for that host.
alter table volume add column public_endpoint text;
