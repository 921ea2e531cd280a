// The elder-mode switch and the read-aloud button of the header: their own chunk, loaded after the
// page, so that they add nothing to the JavaScript a phone page needs before it first draws.
import { ElderModeSwitch } from '../../components/ElderModeSwitch.tsx';
import { ReadAloudButton } from '../../components/ReadAloudButton.tsx';

export default function HeaderTools() {
  return (
    <>
      <ElderModeSwitch />
      <ReadAloudButton />
    </>
  );
}
