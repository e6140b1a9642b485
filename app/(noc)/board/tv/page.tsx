import { BoardPage } from "@/components/board/board-page";

/** TV mode for the NOC wall: read from 5 metres. */
export default function Page() {
  return <BoardPage tv />;
}
