export const TIMESTAMP_TYPE = 'bigint'
