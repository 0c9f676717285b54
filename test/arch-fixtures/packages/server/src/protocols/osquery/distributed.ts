export const distributedRead = 'distributed/read'
