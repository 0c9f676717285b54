import { describe, expect, it } from 'vitest'
import { parseQueryListParams, queryListRequest, toQueryListParams } from './query-list-params.js'

describe("the queries page's URL state", () => {
  it('reads defaults from an empty URL and writes none back', () => {
    const state = parseQueryListParams(new URLSearchParams())
    expect(state).toEqual({
      query: '',
      orderKey: 'name',
      direction: 'asc',
      page: 0,
      teamId: undefined,
    })
    expect(toQueryListParams(state).toString()).toBe('')
  })

  it('round-trips search, sort, page and team', () => {
    const url = 'team_id=3&query=disk&order_key=updated_at&order_direction=desc&page=2'
    const state = parseQueryListParams(new URLSearchParams(url))
    expect(state).toEqual({
      query: 'disk',
      orderKey: 'updated_at',
      direction: 'desc',
      page: 2,
      teamId: 3,
    })
    expect(toQueryListParams(state).toString()).toBe(url)
  })

  it('ignores bad values instead of sending them to the server', () => {
    const state = parseQueryListParams(
      new URLSearchParams('order_key=author;drop&page=-1&team_id=abc&order_direction=sideways'),
    )
    expect(state).toMatchObject({ orderKey: 'name', page: 0, teamId: undefined, direction: 'asc' })
    expect(parseQueryListParams(new URLSearchParams('team_id=0')).teamId).toBeUndefined()
  })

  it("asks for a team's queries with the global ones it inherits", () => {
    const global = queryListRequest(parseQueryListParams(new URLSearchParams()))
    expect(global).toMatchObject({ team_id: undefined, merge_inherited: undefined, per_page: 20 })
    const team = queryListRequest(parseQueryListParams(new URLSearchParams('team_id=5')))
    expect(team).toMatchObject({ team_id: 5, merge_inherited: 'true' })
  })
})
