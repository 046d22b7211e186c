-- crm sql --dialect postgres: the occasions table of sales.order_lines
-- one row per customer-day with an accepted line (reason NULL) and one per reject reason (customer_id, day NULL);
-- columns: customer_id VARCHAR, day DATE, reason VARCHAR, purchase_value DOUBLE, purchase_lines BIGINT, return_value DOUBLE, return_lines BIGINT, rejected_lines BIGINT
-- as-of: 2011-12-01 (lines on or after it are date_after_as_of)
WITH lines AS (
  SELECT CAST("CustomerID" AS TEXT) AS id_text,
    CAST("InvoiceDate" AS TEXT) AS date_text,
    CAST(NULL AS DATE) AS date_value,
    CAST("Quantity" AS TEXT) AS quantity_text,
    CAST(NULL AS DOUBLE PRECISION) AS quantity_typed,
    CAST("UnitPrice" AS TEXT) AS unit_price_text,
    CAST(NULL AS DOUBLE PRECISION) AS unit_price_typed,
    CAST("InvoiceNo" AS TEXT) AS order_text
  FROM sales.order_lines OFFSET 0),
fields AS (
  SELECT lines.*,
    CASE WHEN (TRIM(date_text) ~ '^([0-9]{4}-[0-9]{2}-[0-9]{2}([ T].*)?)$') THEN CAST(SUBSTR(TRIM(date_text), 1, 4) AS INTEGER) END AS dy,
    CASE WHEN (TRIM(date_text) ~ '^([0-9]{4}-[0-9]{2}-[0-9]{2}([ T].*)?)$') THEN CAST(SUBSTR(TRIM(date_text), 6, 2) AS INTEGER) END AS dm,
    CASE WHEN (TRIM(date_text) ~ '^([0-9]{4}-[0-9]{2}-[0-9]{2}([ T].*)?)$') THEN CAST(SUBSTR(TRIM(date_text), 9, 2) AS INTEGER) END AS dd,
    CASE WHEN quantity_typed IS NOT NULL THEN quantity_typed WHEN (TRIM(quantity_text) ~ '^([+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?)$') THEN CAST(TRIM(quantity_text) AS DOUBLE PRECISION) WHEN (TRIM(quantity_text) ~ '^([+-]?([Ii][Nn][Ff][Ii][Nn][Ii][Tt][Yy]|[Nn][Aa][Nn]))$') THEN CAST('NaN' AS DOUBLE PRECISION) END AS quantity_value,
    CASE WHEN unit_price_typed IS NOT NULL THEN unit_price_typed WHEN (TRIM(unit_price_text) ~ '^([+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?)$') THEN CAST(TRIM(unit_price_text) AS DOUBLE PRECISION) WHEN (TRIM(unit_price_text) ~ '^([+-]?([Ii][Nn][Ff][Ii][Nn][Ii][Tt][Yy]|[Nn][Aa][Nn]))$') THEN CAST('NaN' AS DOUBLE PRECISION) END AS unit_price_value
  FROM lines OFFSET 0),
parsed AS (
  SELECT fields.*,
    CASE WHEN date_value IS NOT NULL THEN date_value WHEN dy >= 1 AND dm BETWEEN 1 AND 12 AND dd >= 1 THEN CASE WHEN dd <= CASE WHEN dm = 2 THEN CASE WHEN (MOD(dy, 4) = 0 AND MOD(dy, 100) <> 0) OR MOD(dy, 400) = 0 THEN 29 ELSE 28 END WHEN dm IN (4, 6, 9, 11) THEN 30 ELSE 31 END THEN MAKE_DATE(dy, dm, dd) END END AS day,
    quantity_value * unit_price_value AS amount
  FROM fields OFFSET 0),
classified AS (
  SELECT TRIM(id_text) AS customer_id, day, amount,
    CASE
      WHEN day IS NULL THEN 'unparseable_date'
      WHEN quantity_value IS NULL THEN 'unparseable_amount'
      WHEN unit_price_value IS NULL THEN 'unparseable_amount'
      WHEN NOT (amount - amount = 0) THEN 'non_finite_amount'
      WHEN STRPOS(id_text, '�') > 0 THEN 'invalid_encoding'
      WHEN ABS(amount) > 1.0E+15 THEN 'amount_out_of_range'
      WHEN day < DATE '1970-01-01' OR day > DATE '2026-12-05' THEN 'implausible_date'
      WHEN id_text IS NULL OR TRIM(id_text) = '' THEN 'missing_customer_id'
      WHEN day >= DATE '2011-12-01' THEN 'date_after_as_of'
      WHEN amount = 0 THEN 'zero_amount'
    END AS reason,
    CASE WHEN SUBSTR(LTRIM(COALESCE(order_text, '')), 1, 1) = 'C' OR amount < 0 THEN 1 ELSE 0 END AS is_return
  FROM parsed OFFSET 0)
SELECT CASE WHEN reason IS NULL THEN customer_id END AS customer_id,
  CASE WHEN reason IS NULL THEN day END AS day,
  reason,
  CAST(SUM(CASE WHEN reason IS NULL AND is_return = 0 THEN amount END) AS DOUBLE PRECISION) AS purchase_value,
  CAST(COUNT(CASE WHEN reason IS NULL AND is_return = 0 THEN 1 END) AS BIGINT) AS purchase_lines,
  CAST(SUM(CASE WHEN reason IS NULL AND is_return = 1 THEN ABS(amount) END) AS DOUBLE PRECISION) AS return_value,
  CAST(COUNT(CASE WHEN reason IS NULL AND is_return = 1 THEN 1 END) AS BIGINT) AS return_lines,
  CAST(COUNT(CASE WHEN reason IS NOT NULL THEN 1 END) AS BIGINT) AS rejected_lines
FROM classified
GROUP BY 1, 2, 3
