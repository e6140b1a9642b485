-- The webhook ranges moved into the settings store, whose groups are objects: a saved list becomes { "ranges": [...] }.
UPDATE "Setting" SET "value" = jsonb_build_object('ranges', "value") WHERE "key" = 'webhooks.allowedRanges' AND jsonb_typeof("value") = 'array';
