import { BoardPage } from "@/components/board/board-page";

export default function Page() {
  return <BoardPage tv={false} />;
}
