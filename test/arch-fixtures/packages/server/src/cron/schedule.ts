export const everyMinute = '* * * * *'
