import type { ScreenProps } from "../routes";

export default function Screen(_props: ScreenProps) {
  return <h1>queue</h1>;
}
