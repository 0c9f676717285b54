import { useEffect, useReducer, useRef } from 'react'
import { session } from '../../app/session.js'
import { openCampaignSocket, resultsSocketUrl } from '../../lib/campaign-socket.js'
import { initialLiveResults, liveResultsReducer, type LiveResults } from '../../lib/live-results.js'

/**
 * Streams campaign `campaignId` over the results websocket for as long as the component is
 * mounted (leaving the page closes the socket, which ends the campaign); `stop` ends it sooner.
 */
export function useLiveCampaign(campaignId: number): { results: LiveResults; stop: () => void } {
  const [results, dispatch] = useReducer(liveResultsReducer, initialLiveResults)
  const stream = useRef<{ stop(): void } | undefined>(undefined)
  useEffect(() => {
    const opened = openCampaignSocket({
      url: resultsSocketUrl(window.location),
      token: session.token,
      campaignId,
      onEvent: dispatch,
    })
    stream.current = opened
    return () => opened.stop()
  }, [campaignId])
  return { results, stop: () => stream.current?.stop() }
}
